// Credentials in YAML comments (`# temporary: ghp_…`, a commented-out `# authorization: Bearer …`):
// a comment is committed with its file as a value is, so it is held to the same rule,
// secrets/detected, with the same severity as its document's values (a warning in a PromptTest),
// at the line and column where the credential starts. The message never repeats the secret.
import type { Diagnostic, Severity } from '../model/diagnostic.js';
import type { SourceLocation } from '../model/types.js';
import { knownSecretPatterns, minScannedLength, SECRET_PATTERNS } from './secrets.js';
import { findingDiagnostics, scanner, type KnownSecret, type PatternFinding } from './util.js';

/** One YAML file's comments, as yaml's lexer tells them (a `#` inside a scalar is none). */
export interface CommentedFile {
  /** Each comment from its `#` to the end of its line, with the `#`'s offset in the file. */
  comments: readonly { offset: number; text: string }[];
  /** Where an offset of the file is. */
  at: (offset: number) => SourceLocation;
  /** Whether the comment at an offset belongs to a PromptTest document, where a credential is a warning. */
  inTest: (offset: number) => boolean;
}


/**
 * The credentials in the files' comments, at most MAX_FINDINGS_PER_FIELD a file and severity and
 * then a count, as for one field's values: a file of commented-out keys says so in a few lines.
 * Each comment is scanned on its own (one line: a pattern never runs on into the next comment),
 * so the time is linear in the comments' length; a clean run compiles nothing without a comment
 * long enough to hold one.
 */
export function checkCommentSecrets(files: Iterable<CommentedFile>, known: readonly KnownSecret[] = []): Diagnostic[] {
  const out: Diagnostic[] = [];
  let scan: ((text: string) => PatternFinding[]) | undefined;
  // No credential a pattern knows, nor a known value, is shorter, after the `#`.
  const shortest = minScannedLength(known) + 1;
  for (const f of files) {
    const found: Record<Severity, PatternFinding[]> = { error: [], warning: [] };
    for (const c of f.comments) {
      if (c.text.length < shortest) continue;
      scan ??= scanner([...knownSecretPatterns(known), ...SECRET_PATTERNS]);
      for (const x of scan(c.text)) {
        const index = c.offset + x.index;
        found[f.inTest(index) ? 'warning' : 'error'].push({ ...x, index });
      }
    }
    for (const severity of ['error', 'warning'] as const) {
      if (found[severity].length === 0) continue;
      const field = { path: '', label: "this file's comments", text: '', at: f.at };
      out.push(...findingDiagnostics(field, found[severity], severity, 'secrets/detected', message));
    }
  }
  return out;
}

function message(x: PatternFinding): string {
  return x.name.startsWith('the value of ')
    ? `a comment contains ${x.name}; remove it (a comment is committed with the file), and rotate that credential: it may have been shared`
    : `a comment contains what looks like ${x.name}; remove it (a comment is committed with the file), and rotate it if it was real`;
}
