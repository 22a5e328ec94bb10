// Reading ajv's errors as people name fields: the most specific error of a failed validation, and
// the field it is about as a path (`routes[0].weight`). Shared by the emulator (a request body's
// 400) and the client (an answer of the wrong shape).
import type { ErrorObject } from 'ajv';

/** The most specific error: ajv reports combinator failures (anyOf/if) after their causes. */
export function pickError(errors: readonly ErrorObject[]): ErrorObject | undefined {
  return errors.find((e) => !['anyOf', 'oneOf', 'if', 'allOf'].includes(e.keyword)) ?? errors[0];
}

/** instancePath `/routes/0/weight` → `routes[0].weight`; required/unknown keys name the key itself. */
export function fieldOf(e: ErrorObject): string {
  const parts = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') parts.push(String((e.params as { missingProperty: string }).missingProperty));
  if (e.keyword === 'unevaluatedProperties') parts.push(String((e.params as { unevaluatedProperty: string }).unevaluatedProperty));
  if (e.keyword === 'additionalProperties') parts.push(String((e.params as { additionalProperty: string }).additionalProperty));
  // Errors raised inside propertyNames carry the offending key on the error itself.
  const key = (e as ErrorObject & { propertyName?: string }).propertyName ?? (e.params as { propertyName?: string }).propertyName;
  if (key !== undefined) parts.push(String(key));
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}
