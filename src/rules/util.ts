// Shared helpers for rules: building diagnostics at model locations, and the texts to scan.
import type { Diagnostic, Severity } from '../model/diagnostic.js';
import type { PromptVersion, Resource, SourceLocation, TextOrigin } from '../model/types.js';
import { textLocator } from '../model/text-origin.js';

/** Names of documents that failed to load, so references to them are not reported again. */
export interface RuleContext {
  unloadedTemplates?: ReadonlySet<string>;
  /** "template@version" of versions that failed to load. */
  unloadedVersions?: ReadonlySet<string>;
  /** Templates with a version whose label is not a semver string (which label was meant is unknown). */
  templatesWithBadVersion?: ReadonlySet<string>;
}

export function diagnostic(at: SourceLocation, severity: Severity, rule: string, message: string): Diagnostic {
  return { file: at.file, line: at.line, column: at.column, severity, rule, message };
}

/** The location of a field (dotted path), falling back to the document. */
export function locate(r: Resource, path: string): SourceLocation {
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

function field(v: PromptVersion, path: string, label: string, text: string): TextField {
  const origin: TextOrigin = v.textOrigins?.[path] ?? { ...locate(v, path), exact: false, indentColumn: 1 };
  return { path, label, text, at: textLocator(origin, text) };
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

/** Findings reported per field and rule; a hostile 2 MB prompt must not print 50,000 lines. */
export const MAX_FINDINGS_PER_FIELD = 10;

export interface PatternFinding {
  index: number;
  length: number;
  name: string;
}

/**
 * Runs named global regexes over a text; overlapping findings keep the first. Every pattern must
 * be linear (bounded quantifiers, a boundary lookbehind before a repeated class).
 */
export function scan(
  text: string,
  patterns: readonly { name: string; re: RegExp; accept?: (m: RegExpExecArray) => boolean }[],
): PatternFinding[] {
  const found: PatternFinding[] = [];
  for (const p of patterns) {
    const re = new RegExp(p.re.source, p.re.flags.includes('g') ? p.re.flags : p.re.flags + 'g');
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
}

/** Diagnostics for findings in one field, capped, with a closing note when capped. */
export function findingDiagnostics(
  f: TextField,
  findings: readonly PatternFinding[],
  severity: Severity,
  rule: string,
  message: (finding: PatternFinding) => string,
): Diagnostic[] {
  const out = findings.slice(0, MAX_FINDINGS_PER_FIELD).map((x) => diagnostic(f.at(x.index), severity, rule, message(x)));
  if (findings.length > MAX_FINDINGS_PER_FIELD) {
    const next = findings[MAX_FINDINGS_PER_FIELD]!;
    out.push(
      diagnostic(f.at(next.index), severity, rule, `${findings.length - MAX_FINDINGS_PER_FIELD} more like this in ${f.label}`),
    );
  }
  return out;
}
