// Reading ajv's errors as people name fields: the most specific error of a failed validation
// (the emulator's 400 for a request body and the client's word on an answer of another shape both
// report it), the field it is about as a path (`routes[0].weight`, the emulator's; the client
// walks the answer itself, targets/answer-shapes.ts, to tell a list's index from a key), and the
// JSON pointers ajv names it by (its segments, the value there), for every schema set.
import type { ErrorObject } from 'ajv';

/** "/spec/variables/0/name" → ["spec", "variables", "0", "name"] (JSON Pointer unescaped). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value a JSON pointer names in `data` (an error's instancePath); undefined past a non-object. */
export function valueAtPointer(data: unknown, pointer: string): unknown {
  let v: unknown = data;
  for (const seg of pointerSegments(pointer)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

/** The most specific error: ajv reports combinator failures (anyOf/if) after their causes. */
export function pickError(errors: readonly ErrorObject[]): ErrorObject | undefined {
  return errors.find((e) => !['anyOf', 'oneOf', 'if', 'allOf'].includes(e.keyword)) ?? errors[0];
}

/** instancePath `/routes/0/weight` → `routes[0].weight`; required/unknown keys name the key itself. */
export function fieldOf(e: ErrorObject): string {
  const parts = pointerSegments(e.instancePath);
  if (e.keyword === 'required') parts.push(String((e.params as { missingProperty: string }).missingProperty));
  if (e.keyword === 'unevaluatedProperties') parts.push(String((e.params as { unevaluatedProperty: string }).unevaluatedProperty));
  if (e.keyword === 'additionalProperties') parts.push(String((e.params as { additionalProperty: string }).additionalProperty));
  // Errors raised inside propertyNames carry the offending key on the error itself.
  const key = (e as ErrorObject & { propertyName?: string }).propertyName ?? (e.params as { propertyName?: string }).propertyName;
  if (key !== undefined) parts.push(String(key));
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}
