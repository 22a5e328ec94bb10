// Canned model answers for the emulator (`promptctl emulator --responses FILE`, the
// `responses` / `responsesFile` emulator options, and a PromptTest's own `responses:` block, which
// `promptctl test` hands to the embedded emulator with `template` set to the test's target and
// `test` to the test's name). The first fixture whose `match` holds answers an invocation: first
// among the calling test's own (a call `promptctl test` makes names its test in the
// X-Promptctl-Test header), then among all of them in their order; without one the simulator
// writes its own stable text.
//
// The file is YAML or JSON (YAML 1.2 reads both): either a list of fixtures or an object with a
// `responses:` list.
//
//   responses:
//     - match:                     # every given condition must hold; {} matches every call
//         template: billing-assistant   # the template's name or id
//         version: 1.1.0                 # the version label the call ran on
//         contains: refund               # a substring of the rendered prompt (case-sensitive)
//       output: "Refunds reach your card within 5 working days."
//       finishReason: stop         # optional: stop (default) | length | content_filter
//     - match: {regex: "(?i)card number"}   # instead of contains: a regular expression; a
//       output: "I cannot take card numbers here."   # leading (?i) makes it case-insensitive,
//                                                     # or write it as /pattern/flags
//
// The rendered prompt is every message of the call as `role: content` lines (system, few-shot
// examples as user/assistant, the user template, then the call's own messages), after the input
// redactions of the safety filters. An output longer than the version's maxTokens is cut to fit
// (finishReason length) unless the fixture gives its own finishReason. Output text passes through
// the output safety filters like any model answer.
import { readFileSync } from 'node:fs';
import { isSeq, LineCounter, parseDocument } from 'yaml';
import { TEST_HEADER, type FinishReason } from '../targets/llmgateway/wire.js';
import type { Ctx } from './context.js';
import { compileFixtureRegex, execBounded, RegexTimeout } from '../util/regex.js';
import { ApiFailure } from './errors.js';

export interface ResponseFixture {
  match: {
    template?: string;
    version?: string;
    contains?: string;
    regex?: string;
  };
  output: string;
  finishReason?: FinishReason;
  /** The PromptTest whose `responses:` it is (given by `promptctl test`, not by a responses file). */
  test?: string;
  /**
   * What `match.template` names (given by `promptctl test`, not by a responses file): a test's
   * answers are for its target alone, a template or a guide, never for the other kind of the same
   * name. A responses file's `template` matches either, as it always has.
   */
  targetKind?: TargetKind;
}

/** The kind of target a call is made to: a template's invocation, or a guide's session turn. */
export type TargetKind = 'template' | 'guide';

/** A fixture ready to match (its regex compiled once). */
export interface CompiledFixture {
  fixture: ResponseFixture;
  index: number;
  regex?: RegExp;
}

const FINISH = new Set<FinishReason>(['stop', 'length', 'content_filter']);
const MATCH_KEYS = new Set(['template', 'version', 'contains', 'regex']);
const FIXTURE_KEYS = new Set(['match', 'output', 'finishReason']);

/** Reads a responses file (YAML or JSON); throws an Error naming the file and the entry at fault. */
export function loadResponsesFile(file: string): ResponseFixture[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read emulator responses file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  const at = (offset: number | undefined): string => {
    if (offset === undefined) return '';
    const p = lines.linePos(offset);
    return `:${p.line}:${p.col}`;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new Error(`emulator responses file ${file}${at(e.pos[0])}: ${e.message.split('\n')[0]}`);
  }
  // Each entry's error names its line: the list is the document, or its `responses:` key.
  const listNode = isSeq(doc.contents) ? doc.contents : doc.get('responses', true);
  const entryAt = (i: number): string => at(isSeq(listNode) ? (listNode.items[i] as { range?: [number, number, number] } | undefined)?.range?.[0] : undefined);
  return checkResponses(doc.toJS({ maxAliasCount: 100 }) as unknown, file, entryAt);
}

/**
 * Checks fixtures given as data (a list, or `{responses: [...]}`); `source` names them in errors,
 * and `entryAt(i)` where entry i is (":line:column", or "").
 */
export function checkResponses(data: unknown, source = 'responses', entryAt: (i: number) => string = () => ''): ResponseFixture[] {
  if (data === null || data === undefined) return [];
  const list = Array.isArray(data) ? data : isRecord(data) && Array.isArray(data['responses']) ? data['responses'] : undefined;
  if (!list) throw new Error(`${source}: expected a list of responses, or an object with a responses: list`);
  return list.map((raw, i) => checkFixture(raw, `${source}${entryAt(i)}: responses[${i}]`));
}

/** Fixtures given as options (`promptctl test`'s): checked as a file's, keeping each one's `test`, no field of the format. */
export function checkGivenResponses(given: readonly ResponseFixture[], source: string): ResponseFixture[] {
  return checkResponses(given.map(({ test: _test, targetKind: _kind, ...f }) => f), source).map((f, i) => {
    const test = given[i]?.test;
    const targetKind = given[i]?.targetKind;
    return { ...f, ...(test !== undefined ? { test } : {}), ...(targetKind !== undefined ? { targetKind } : {}) };
  });
}

function checkFixture(raw: unknown, where: string): ResponseFixture {
  const bad = (msg: string): never => {
    throw new Error(`${where}: ${msg}`);
  };
  if (!isRecord(raw)) return bad('must be an object with match and output');
  for (const k of Object.keys(raw)) if (!FIXTURE_KEYS.has(k)) bad(`unknown field ${k} (expected match, output, finishReason)`);
  const match = raw['match'] ?? {};
  if (!isRecord(match)) return bad('match must be an object');
  for (const k of Object.keys(match)) if (!MATCH_KEYS.has(k)) bad(`unknown match field ${k} (expected template, version, contains, regex)`);
  const out: ResponseFixture = { match: {}, output: '' };
  for (const k of ['template', 'version', 'contains', 'regex'] as const) {
    const v = match[k];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v === '') bad(`match.${k} must be a non-empty string`);
    out.match[k] = v as string;
  }
  if (out.match.contains !== undefined && out.match.regex !== undefined) bad('match takes contains or regex, not both');
  if (out.match.regex !== undefined) {
    try {
      compileRegex(out.match.regex);
    } catch (err) {
      bad(`match.regex is not a valid regular expression: ${(err as Error).message}`);
    }
  }
  const output = raw['output'];
  if (typeof output !== 'string') bad('output must be a string');
  out.output = output as string;
  const fr = raw['finishReason'];
  if (fr !== undefined) {
    if (typeof fr !== 'string' || !FINISH.has(fr as FinishReason)) bad('finishReason must be stop, length or content_filter');
    out.finishReason = fr as FinishReason;
  }
  return out;
}

/** `/pattern/flags`, a leading `(?i)`, or a plain pattern (util/regex.ts). */
export const compileRegex = compileFixtureRegex;

export function compileFixtures(list: readonly ResponseFixture[]): CompiledFixture[] {
  return list.map((fixture, index) =>
    fixture.match.regex !== undefined ? { fixture, index, regex: compileRegex(fixture.match.regex) } : { fixture, index },
  );
}

export interface FixtureQuery {
  templateId: string;
  templateName: string;
  version: string;
  /** The rendered prompt as `role: content` lines. */
  prompt: string;
  /** The PromptTest the call is made for (its X-Promptctl-Test header), if it names one. */
  test?: string;
  /** A template's invocation or a guide's turn: a fixture given for the other kind does not hold. */
  targetKind?: TargetKind;
}

/**
 * The first fixture whose every condition holds, if any: the calling test's own first, then
 * every fixture in order (another test's, a responses file's).
 */
export function findFixture(fixtures: readonly CompiledFixture[], q: FixtureQuery): CompiledFixture | undefined {
  const own = (f: CompiledFixture): boolean => q.test !== undefined && f.fixture.test === q.test;
  // The test's own are not tried twice (a regex's time limit is spent once).
  return fixtures.find((f) => own(f) && fixtureHolds(f, q)) ?? fixtures.find((f) => !own(f) && fixtureHolds(f, q));
}

function fixtureHolds({ fixture: { match: m, targetKind }, regex }: CompiledFixture, q: FixtureQuery): boolean {
  if (targetKind !== undefined && q.targetKind !== undefined && targetKind !== q.targetKind) return false;
  if (m.template !== undefined && m.template !== q.templateName && m.template !== q.templateId) return false;
  if (m.version !== undefined && m.version !== q.version) return false;
  if (m.contains !== undefined && !q.prompt.includes(m.contains)) return false;
  if (regex && !matches(regex, q.prompt)) return false;
  return true;
}

/** The test a request names (X-Promptctl-Test, URI-encoded), for `FixtureQuery.test`; none when absent or not decodable. */
export function namedTest(ctx: Pick<Ctx, 'headers'>): { test?: string } {
  const raw = ctx.headers?.[TEST_HEADER.toLowerCase()];
  if (typeof raw !== 'string') return {};
  try {
    return { test: decodeURIComponent(raw) };
  } catch {
    return {};
  }
}

/** A fixture's regex on a prompt; one that does not finish is the caller's error, not a hung emulator. */
function matches(regex: RegExp, prompt: string): boolean {
  try {
    return execBounded(regex, prompt) !== null;
  } catch (err) {
    if (err instanceof RegexTimeout) throw new ApiFailure(400, 'invalid.value', `response fixture: ${err.message}`);
    throw err;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
