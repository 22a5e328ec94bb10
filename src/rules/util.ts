// Shared helpers for rules: building diagnostics at model locations, and the texts to scan.
import type { Diagnostic, Severity } from '../model/diagnostic.js';
import type { AnyResource, Config, FieldLocations, Guide, PromptTest, PromptVersion, SourceLocation, SummarySetting, TextOrigin } from '../model/types.js';
import { textLocator } from '../model/text-origin.js';
import type { NamedSecret } from '../util/secrets.js';
import { didYouMean } from '../util/suggest.js';

/** Names of documents that failed to load, so references to them are not reported again. */
export interface RuleContext {
  unloadedTemplates?: ReadonlySet<string>;
  /** "template@version" of versions that failed to load. */
  unloadedVersions?: ReadonlySet<string>;
  /** Templates with a version whose label is not a semver string (which label was meant is unknown). */
  templatesWithBadVersion?: ReadonlySet<string>;
  /** A PromptVersion failed to load whose template cannot be read either: any template's label may be its. */
  unreadableVersion?: boolean;
  /** Names of Guides and SafetyFilters that failed to load. */
  unloadedGuides?: ReadonlySet<string>;
  unloadedFilters?: ReadonlySet<string>;
  /**
   * Files (or directories) that could not be read far enough to know what they define (binary,
   * not UTF-8, too large, unreadable, nested too deep or refused for its aliases with its kind or
   * name unreadable): a name may be one of theirs, so a reference that resolves to nothing is said
   * with that doubt and no did-you-mean (which would steer the user to rewrite a correct file).
   */
  unreadFiles?: readonly UnreadFile[];
  /**
   * Why a user's JSON Schema (a `jsonSchema` assertion) is unusable, or undefined when it is fine
   * (src/schema's check, passed in: rules do no schema compiling of their own). Without it, such
   * schemas are not checked.
   */
  jsonSchemaProblem?: (schema: unknown) => { segments: string[]; message: string } | undefined;
  /**
   * Secret values this run knows (the client secret, the audit key…, by the name of the variable
   * that holds them): pasted into a prompt, each is an error that names the variable, never the value.
   */
  knownSecrets?: readonly KnownSecret[];
}

/** A file (or a directory not listed) whose documents could not be read, with the rule of its own error. */
export interface UnreadFile {
  file: string;
  rule: string;
  directory?: true;
}

/** A credential of the run's environment, by the variable that holds it (e.g. GENESYSCLOUD_OAUTHCLIENT_SECRET). */
export type KnownSecret = NamedSecret;

/** A value this short would mask ordinary words (as for the environment's credentials, cli/context.ts). */
const MIN_CONFIG_SECRET_LENGTH = 8;

/**
 * The secrets promptctl.yaml names by their variable, whatever it is called (an audit sink's
 * signing key, `secretEnv`), with the values `secretOf` gives: as set, and trimmed.
 */
export function configSecrets(config: Config, secretOf: ((name: string) => string | undefined) | undefined): KnownSecret[] {
  if (!secretOf) return [];
  const out: KnownSecret[] = [];
  for (const sink of config.audit.http) {
    const value = sink.secretEnv === undefined ? undefined : secretOf(sink.secretEnv);
    if (!value) continue;
    for (const v of new Set([value, value.trim()])) if (v.length >= MIN_CONFIG_SECRET_LENGTH) out.push({ name: sink.secretEnv!, value: v });
  }
  return out;
}

export function diagnostic(at: SourceLocation, severity: Severity, rule: string, message: string): Diagnostic {
  return { file: at.file, line: at.line, column: at.column, severity, rule, message };
}

/** Anything located: a model object with its field locations. */
export interface Located {
  source: SourceLocation;
  locations: FieldLocations;
}

/** Whether a label of `template` may be one a broken document meant (undeclared-version errors wait for it to read). */
export function labelsUnsure(ctx: RuleContext, template: string): boolean {
  return ctx.unreadableVersion === true || ctx.templatesWithBadVersion?.has(template) === true;
}

/**
 * The doubt a file not read leaves on a name that resolves to nothing (`subject`: what may be
 * defined there), to append to its error; '' when every file was read. The error is still said
 * (left unsaid, one unread file anywhere hid every reference mistake until it was fixed).
 */
export function unlessUnread(ctx: RuleContext, subject = 'it'): string {
  const files = ctx.unreadFiles ?? [];
  if (files.length === 0) return '';
  if (files.length === 1) {
    const f = files[0]!;
    const where = f.directory ? `a file of ${f.file}, a directory that could not be read` : `${f.file}, which could not be read`;
    return `, unless ${subject} is defined in ${where} (see its ${f.rule} error)`;
  }
  const what = files.some((f) => f.directory) ? 'files and directories' : 'files';
  const rules = [...new Set(files.map((f) => f.rule))].join(', ');
  return `, unless ${subject} is defined in one of the ${files.length} ${what} that could not be read (see their ${rules} errors)`;
}

/** A did-you-mean for `name`, but none while a file is not read: the name meant may well be in it. */
export function suggestion(ctx: RuleContext, name: string, candidates: Iterable<string>): string {
  return (ctx.unreadFiles?.length ?? 0) > 0 ? '' : didYouMean(name, candidates);
}

/** The location of a field (dotted path), falling back to the document. */
export function locate(r: Located, path: string): SourceLocation {
  return r.locations[path] ?? r.source;
}

export function where(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

/** A piece of text of a version, with what is needed to locate offsets inside it. */
export interface TextField {
  path: string; // "spec.userTemplate"
  label: string; // "userTemplate", "fewShotExamples[0].input" (for messages)
  text: string;
  at: (offset: number) => SourceLocation;
}

function field(v: Located & { textOrigins?: Record<string, TextOrigin> }, path: string, label: string, text: string): TextField {
  // Where the text starts is read only when a finding in it is located (most texts have none).
  let at: ((offset: number) => SourceLocation) | undefined;
  const locator = () => textLocator(v.textOrigins?.[path] ?? { ...locate(v, path), exact: false, indentColumn: 1 }, text);
  return { path, label, text, at: (offset) => (at ??= locator())(offset) };
}

/**
 * A field of any document, located in it (the locator is built on the first finding: nearly every
 * field has none): inside its text where the loader recorded where that starts (a description, a
 * label's value), else at the field.
 */
export function locatedField(r: AnyResource | PromptTest, path: string, label: string, text: string): TextField {
  let at: TextField['at'] | undefined;
  const origin = (): TextOrigin => ('textOrigins' in r ? r.textOrigins?.[path] : undefined) ?? { ...nearestLocation(r, path), exact: false, indentColumn: 1 };
  return { path, label, text, at: (offset: number) => (at ??= textLocator(origin(), text))(offset) };
}

/** Where `path` is, or the nearest of its parents that the document locates (the document's start at worst). */
function nearestLocation(r: AnyResource | PromptTest, path: string): SourceLocation {
  for (let p = path; p !== ''; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const at = r.locations[p];
    if (at) return at;
  }
  return r.source;
}

/**
 * The text defaults of the versions' variables: sent in the prompt when a call leaves them out.
 * (A guide's variables have no default.)
 */
export function variableDefaultFields(state: { versions: readonly PromptVersion[] }): TextField[] {
  return state.versions.flatMap(versionDefaultFields);
}

function versionDefaultFields(r: PromptVersion): TextField[] {
  const out: TextField[] = [];
  r.variables.forEach((x, i) => {
    if (typeof x.default !== 'string') return;
    const path = `spec.variables.${i}.default`;
    const label = `variable "${x.name}" default`;
    // Where the loader recorded the text (a finding is placed inside it), else at the field.
    out.push(r.textOrigins?.[path] ? field(r, path, label, x.default) : locatedField(r, path, label, x.default));
  });
  return out;
}

/** The prompt proper: system instruction and user template. */
export function promptFields(v: PromptVersion): TextField[] {
  return [
    field(v, 'spec.systemInstruction', 'systemInstruction', v.systemInstruction),
    field(v, 'spec.userTemplate', 'userTemplate', v.userTemplate),
  ];
}

/** The prompt plus few-shot examples: everything sent to the model as written. */
export function contentFields(v: PromptVersion): TextField[] {
  const out = promptFields(v);
  v.fewShotExamples.forEach((e, i) => {
    out.push(field(v, `spec.fewShotExamples.${i}.input`, `fewShotExamples[${i}].input`, e.input));
    out.push(field(v, `spec.fewShotExamples.${i}.output`, `fewShotExamples[${i}].output`, e.output));
  });
  return out;
}

/** A guide's instruction. */
export function guideFields(g: Guide): TextField[] {
  return [field(g, 'spec.instruction', 'instruction', g.instruction)];
}

/** A summary setting's prompt, when it has one. */
export function summaryFields(s: SummarySetting): TextField[] {
  return s.prompt === undefined ? [] : [field(s, 'spec.prompt', 'prompt', s.prompt)];
}

/** Every text sent to a model as written: versions' content, guides' instructions, summary prompts. */
export function allContentFields(state: { versions: readonly PromptVersion[]; guides: readonly Guide[]; summarySettings: readonly SummarySetting[] }): TextField[] {
  return [...state.versions.flatMap(contentFields), ...state.guides.flatMap(guideFields), ...state.summarySettings.flatMap(summaryFields)];
}

/** The prompt proper of every version, guide and summary setting (what injection rules scan). */
export function allPromptFields(state: { versions: readonly PromptVersion[]; guides: readonly Guide[]; summarySettings: readonly SummarySetting[] }): TextField[] {
  return [...state.versions.flatMap(promptFields), ...state.guides.flatMap(guideFields), ...state.summarySettings.flatMap(summaryFields)];
}

/** Findings reported per field and rule; a hostile 2 MB prompt must not print 50,000 lines. */
export const MAX_FINDINGS_PER_FIELD = 10;

export interface PatternFinding {
  index: number;
  length: number;
  name: string;
}

export interface NamedPattern {
  name: string;
  re: RegExp;
  accept?: (m: RegExpExecArray) => boolean;
  /**
   * A substring every match contains (same case): a text without it is not run through the
   * pattern. Most prompts contain none of these, and a substring search costs far less than
   * trying the pattern at every position.
   */
  literal?: string;
}

/**
 * A scan of texts for named regexes; overlapping findings keep the first. Every pattern must be
 * linear (bounded quantifiers, a boundary lookbehind before a repeated class). The global copies
 * of the patterns are made once per scanner, not per text: a rule runs every pattern over every
 * text of every document (5,000 templates: the rules took 0.24 s with a RegExp built per text and
 * pattern, 0.17 s without). Each exec loop runs to its end before the next begins.
 */
export function scanner(patterns: readonly NamedPattern[]): (text: string) => PatternFinding[] {
  const compiled = patterns.map((p) => ({ ...p, re: new RegExp(p.re.source, p.re.flags.includes('g') ? p.re.flags : p.re.flags + 'g') }));
  return (text) => {
    const found: PatternFinding[] = [];
    for (const p of compiled) {
      if (p.literal !== undefined && !text.includes(p.literal)) continue;
      const re = p.re;
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        if (m[0].length === 0) re.lastIndex++;
        else if (!p.accept || p.accept(m)) found.push({ index: m.index, length: m[0].length, name: p.name });
      }
    }
    found.sort((a, b) => a.index - b.index || b.length - a.length);
    const kept: PatternFinding[] = [];
    let end = -1;
    for (const f of found) {
      if (f.index < end) continue;
      kept.push(f);
      end = f.index + f.length;
    }
    return kept;
  };
}

/** Diagnostics for findings in one field, capped, with a closing note when capped. */
export function findingDiagnostics<F extends { index: number } = PatternFinding>(
  f: TextField,
  findings: readonly F[],
  severity: Severity,
  rule: string,
  message: (finding: F) => string,
  /** How many there are, when `findings` holds only the first MAX_FINDINGS_PER_FIELD + 1. */
  total = findings.length,
): Diagnostic[] {
  const out = findings.slice(0, MAX_FINDINGS_PER_FIELD).map((x) => diagnostic(f.at(x.index), severity, rule, message(x)));
  if (findings.length > MAX_FINDINGS_PER_FIELD) {
    const next = findings[MAX_FINDINGS_PER_FIELD]!;
    out.push(
      diagnostic(f.at(next.index), severity, rule, `${total - MAX_FINDINGS_PER_FIELD} more like this in ${f.label}`),
    );
  }
  return out;
}
