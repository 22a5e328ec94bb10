// The PromptTest assertions (DESIGN §2), each a pure function of one call's observation. A call
// that got no answer (blocked, or refused with an error) fails every assertion about its answer
// whatever `not` says: "not contains X" must not pass because there was nothing to search.
// `blockedBy` is the exception (being blocked is its subject), `routedTo` needs only the
// version, when it is known, and maxOutputTokens and maxCostUsd are about what the call spent,
// which a block on the output does not undo (`spent`).
import { Ajv2020, type CodeOptions, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Assertion, JsonValue } from '../model/types.js';
import { collapseWhitespace } from '../util/escapes.js';
import { stableStringify } from '../util/json.js';
import { digitRunsIn, emailsIn } from '../util/pii-shapes.js';
import { compileAssertionRegex, execBounded, RegexTimeout } from '../util/regex.js';
import type { AssertionOutcome, Observation } from './types.js';

/** Compiled JSON Schemas, made once per run and shared by its assertions. */
export interface SchemaCache {
  validator(schema: object): ValidateFunction;
}

export function createSchemaCache(): SchemaCache {
  const compiled = new Map<string, ValidateFunction>();
  return {
    validator(schema) {
      const key = stableStringify(schema);
      let v = compiled.get(key);
      if (!v) {
        // Not strict: unknown keywords are allowed by the specification (validate checked the schema).
        // One ajv per schema: ajv registers every `$id` it compiles, and two assertions' schemas
        // may share one (validate checks each schema on its own).
        const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true, code: { regExp: boundedRegExp } });
        (addFormats as unknown as { default: (a: Ajv2020) => void }).default(ajv);
        compiled.set(key, (v = ajv.compile(schema)));
      }
      return v;
    },
  };
}

/**
 * A schema's `pattern` and `patternProperties` as ajv matches them, each match with the time limit
 * of a `regex` assertion (util/regex.ts): what they match is the model's answer, and a pattern
 * that backtracks without end on it held the main thread for hours, deaf to the interrupt. A match
 * given up throws RegexTimeout, which fails the assertion. (No standalone code is generated from
 * these schemas: `code` only names the engine.)
 */
const boundedRegExp: NonNullable<CodeOptions['regExp']> = Object.assign(
  (pattern: string, flags: string) => {
    const re = new RegExp(pattern, flags);
    // ajv keys its compiled patterns by their text.
    return { test: (text: string) => execBounded(re, text) !== null, toString: () => String(re) };
  },
  { code: 'boundedRegExp' },
);

export interface AssertionContext {
  /** The texts the case sent (var values, messages): `redacts: pii` checks none of their personal data came back. */
  inputs: readonly string[];
  schemas: SchemaCache;
}

/** Checks one assertion against one call. */
export function evaluate(a: Assertion, obs: Observation, ctx: AssertionContext): AssertionOutcome {
  const done = (passed: boolean, detail: string): AssertionOutcome => ({ type: a.type, not: a.not, value: a.value as JsonValue, passed, detail });
  /** `raw` is whether the plain (un-negated) assertion holds; `seen` says what was observed. */
  const judge = (raw: boolean, seen: string): AssertionOutcome => done(a.not ? !raw : raw, seen);

  if (a.type === 'blockedBy') {
    if (obs.outcome === 'error') return done(false, `no answer: ${describeError(obs)}`);
    const by = obs.outcome === 'blocked' ? obs.blocked?.filter : undefined;
    return judge(by === a.value, by ? `blocked by ${by}` : 'not blocked');
  }
  if (a.type === 'routedTo') {
    if (obs.version === undefined) return done(false, `the version that would have answered is unknown (${noAnswer(obs)})`);
    return judge(obs.version === a.value, `answered by ${obs.version}`);
  }
  if (a.type === 'maxOutputTokens' || a.type === 'maxCostUsd') return spent({ type: a.type, value: a.value }, obs, done, judge);
  if (obs.outcome !== 'answered') return done(false, `no answer: ${noAnswer(obs)}`);

  const out = obs.output;
  switch (a.type) {
    case 'contains':
      return judge(out.includes(a.value), out.includes(a.value) ? `found in the output` : `not found in ${preview(out)}`);
    case 'notContains': {
      const found = out.includes(a.value);
      return judge(!found, found ? `found in ${preview(out, out.indexOf(a.value))}` : 'not in the output');
    }
    case 'regex': {
      let m: RegExpExecArray | null;
      try {
        m = execBounded(compileAssertionRegex(a.value), out);
      } catch (err) {
        if (err instanceof RegexTimeout) return done(false, err.message);
        throw err;
      }
      return judge(m !== null, m ? `matched ${JSON.stringify(clip(m[0], 60))}` : `no match in ${preview(out)}`);
    }
    case 'equals': {
      if (typeof a.value === 'string') {
        const same = out.trim() === a.value.trim();
        return judge(same, same ? 'equal' : `the output is ${preview(out)}`);
      }
      const parsed = parseJson(out);
      // An answer that is not JSON is plainly not equal to a JSON value: `not` passes on it.
      if (!parsed.ok) return judge(false, `the output is not JSON (${parsed.error}): ${preview(out)}`);
      const same = stableStringify(parsed.value) === stableStringify(a.value);
      return judge(same, same ? 'equal' : `the output is ${clip(JSON.stringify(parsed.value), 120)}`);
    }
    case 'isJson': {
      const parsed = parseJson(out);
      return judge(parsed.ok, parsed.ok ? 'the output is JSON' : `not JSON (${parsed.error}): ${preview(out)}`);
    }
    case 'jsonSchema': {
      const parsed = parseJson(out);
      // Nor does it match any schema: what a JSON Schema describes is a JSON document.
      if (!parsed.ok) return judge(false, `the output is not JSON (${parsed.error}): ${preview(out)}`);
      const validate = ctx.schemas.validator(a.value);
      let valid: boolean;
      try {
        valid = validate(parsed.value) === true;
      } catch (err) {
        if (err instanceof RegexTimeout) return done(false, err.message);
        throw err;
      }
      const why = (validate.errors ?? [])
        .slice(0, 3)
        .map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`)
        .join('; ');
      return judge(valid, valid ? 'matches the schema' : `does not match the schema: ${why}`);
    }
    case 'maxLatencyMs': {
      const ms = obs.latencyMs ?? obs.wallMs;
      return judge(ms <= a.value, `${Math.round(ms)} ms${obs.latencyMs === undefined ? ' (measured here)' : ''}`);
    }
    case 'redacts': {
      const by = obs.filters.filter((f) => f.category === a.value && f.action === 'redact_and_log' && f.applied);
      const leaked = by.length > 0 && a.value === 'pii' ? leakedPii(ctx.inputs, out) : undefined;
      const raw = by.length > 0 && leaked === undefined;
      const seen =
        by.length === 0
          ? `no filter redacted ${a.value}${obs.filters.length ? ` (filters: ${obs.filters.map(describeFilter).join(', ')})` : ''}`
          : leaked !== undefined
            ? `${by.map((f) => f.name).join(', ')} reported a redaction, but the output still holds ${JSON.stringify(mask(leaked))}`
            : `redacted by ${by.map((f) => f.name).join(', ')}`;
      return judge(raw, seen);
    }
  }
}

/**
 * maxOutputTokens and maxCostUsd: about what the call spent, not its answer. A call a filter blocked
 * on its output was run and billed all the same, and its refusal says what it spent: judged on
 * that. One that spent nothing it says (blocked on its input, before the model ran; or a target
 * that does not say), or refused with an error, fails them whatever `not` says, as it fails the
 * assertions about its answer.
 */
function spent(
  a: { type: 'maxOutputTokens' | 'maxCostUsd'; value: number },
  obs: Observation,
  done: (passed: boolean, detail: string) => AssertionOutcome,
  judge: (raw: boolean, seen: string) => AssertionOutcome,
): AssertionOutcome {
  const known = a.type === 'maxOutputTokens' ? obs.usage !== undefined : obs.costUsd !== undefined;
  if (obs.outcome === 'error' || (obs.outcome === 'blocked' && !known)) return done(false, `no answer: ${noAnswer(obs)}`);
  const though = obs.outcome === 'blocked' ? `, spent though ${noAnswer(obs)}` : '';
  if (a.type === 'maxOutputTokens') {
    if (!obs.usage) return done(false, 'the target reported no token usage');
    const n = obs.usage.completionTokens;
    return judge(n <= a.value, `${n} output tokens${obs.usageApproximate ? ' (approximate)' : ''}${though}`);
  }
  if (obs.costUsd === undefined) return done(false, 'the target reported no cost');
  return judge(obs.costUsd <= a.value, `$${usdBeside(obs.costUsd, a.value)}${though}`);
}

function noAnswer(obs: Observation): string {
  if (obs.outcome === 'blocked') return `blocked by ${obs.blocked?.filter ?? 'a safety filter'}`;
  return describeError(obs);
}

function describeError(obs: Observation): string {
  if (obs.outcome === 'blocked') return `blocked by ${obs.blocked?.filter ?? 'a safety filter'}`;
  const e = obs.error;
  return e ? `${e.code}${e.status ? ` (HTTP ${e.status})` : ''}: ${e.message}` : 'the call failed';
}

function describeFilter(f: Observation['filters'][number]): string {
  return `${f.name} ${f.applied ? f.action.replace(/_and_(log|pass)$/, '') : 'scored'} ${f.category} ${f.score}`;
}

type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message.replace(/^(Unexpected|Expected)/, (m) => m.toLowerCase()) : 'invalid' };
  }
}

function clip(s: string, n: number): string {
  const chars = [...s];
  return chars.length > n ? `${chars.slice(0, n - 1).join('')}…` : s;
}

/** The output, quoted and cut short (around `at` when given). */
function preview(out: string, at?: number): string {
  if (out === '') return 'an empty output';
  const flat = collapseWhitespace(out);
  if (at === undefined || at < 40) return JSON.stringify(clip(flat, 80));
  const start = Math.max(0, at - 30);
  return JSON.stringify(`…${clip(collapseWhitespace(out.slice(start)), 80)}`);
}

export function formatUsd(usd: number): string {
  if (usd === 0) return '0';
  if (usd >= 1) return usd.toFixed(2);
  const digits = Math.min(10, Math.max(4, 2 - Math.floor(Math.log10(usd)) + 1));
  return usd.toFixed(digits).replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * A cost said beside its limit: as formatUsd writes it, or, where that reads the same as the limit
 * and the two differ, to as many decimals as tell them apart. A call of $0.0100025 held to
 * maxCostUsd 0.01 failed saying "maxCostUsd $0.01: $0.01", which reads as a pass.
 */
function usdBeside(usd: number, limit: number): string {
  const shown = formatUsd(usd);
  if (usd === limit || shown !== formatUsd(limit)) return shown;
  for (let d = 2; d <= 20; d++) {
    const [a, b] = [usd.toFixed(d), limit.toFixed(d)];
    if (a !== b) return a.replace(/0+$/, '').replace(/\.$/, '');
  }
  return String(usd);
}

// ---- the leak check of `redacts: pii` --------------------------------------------------------

const digits = (s: string): string => s.replace(/\D/g, '');

/**
 * Personal data the case sent that appears in the output, or undefined: what the pii category
 * counts (util/pii-shapes.ts: e-mail addresses, card numbers, phone numbers; not an order number
 * or a date, which the gateway does not redact). An address as it was; a number by its digits,
 * the personal one whole in the other text's run, wherever a scan ended either (a run ends where
 * single separators end: "4111 1111 1111 1111 2 times" is a run of 17 digits, no card, yet the
 * card number an answer repeats from it came back; a card the answer follows with " 2" too). A
 * redaction the gateway reports must not have let it through. The output's form is returned.
 */
export function leakedPii(inputs: readonly string[], output: string): string | undefined {
  const numbers = digitRunsIn(output).map((run) => ({ ...run, digits: digits(run.text) }));
  for (const text of inputs) {
    const emails = emailsIn(text);
    for (const e of emails) {
      const address = text.slice(e.start, e.end);
      if (output.includes(address)) return address;
    }
    for (const run of digitRunsIn(text, emails)) {
      const sent = digits(run.text);
      const found = numbers.find((n) => (run.shape !== undefined && n.digits.includes(sent)) || (n.shape !== undefined && sent.includes(n.digits)));
      if (found !== undefined) return found.text;
    }
  }
  return undefined;
}

/** Shows the shape of leaked data without printing all of it. */
function mask(s: string): string {
  return s.length <= 4 ? '****' : `${s.slice(0, 2)}${'*'.repeat(Math.max(0, s.length - 4))}${s.slice(-2)}`;
}
