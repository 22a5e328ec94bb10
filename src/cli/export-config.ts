// The prompts directory's promptctl.yaml that export checks what it wrote with (the directory its
// files will join), and what that check then cannot promise of `plan --dir OUT`, which reads no
// Config there: the errors the two checks find apart, and the note that says so and why. Its own
// errors are the user's, said at it before anything is exported (cli/export.ts).
import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { CONFIG_FILE } from '../config/discover.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { byCodeUnits } from '../util/compare.js';
import { oneLine, shellWord, visibleName } from '../util/escapes.js';
import { plural } from '../util/plural.js';

/**
 * The promptctl.yaml of the prompts directory `dir` (relative to `cwd`), when there is one to read:
 * its text, and where it is (`file`, relative to cwd, as diagnostics name it: its problems are its own,
 * not the export's, and --out holds no such file).
 */
export function readSourceConfig(cwd: string, dir: string): { text: string; file: string } | undefined {
  const abs = resolve(cwd, dir, CONFIG_FILE);
  try {
    return { text: readFileSync(abs, 'utf8'), file: relative(cwd, abs).split(sep).join('/') };
  } catch {
    return undefined;
  }
}

/** How the two checks of the export differ: errors only the check without the Config finds, and errors only the one with it finds. */
export interface ConfigFindings {
  added: Diagnostic[];
  dropped: Diagnostic[];
}

/**
 * The errors of the check with the Config (`withConfig`) and of the one without it, told apart.
 * Those in the Config file itself (`configFile`, as diagnostics name it: the prompts directory's) are
 * left out: they are the Config's, not the export's, and plan --dir OUT never reads that file.
 */
export function configFindings(withConfig: readonly Diagnostic[], without: readonly Diagnostic[], configFile: string): ConfigFindings {
  const errors = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === 'error' && d.file !== configFile);
  const key = (d: Diagnostic) => `${d.file}\0${d.line}\0${d.column}\0${d.rule}\0${d.message}`;
  const mine = new Set(errors(withConfig).map(key));
  const theirs = new Set(errors(without).map(key));
  return { added: errors(without).filter((d) => !mine.has(key(d))), dropped: errors(withConfig).filter((d) => !theirs.has(key(d))) };
}

/** The models the export uses that the Config declares: new ones, and built-in ones it overrides. */
export function configModels(declared: readonly string[], used: ReadonlySet<string>, builtIn: { has(model: string): boolean }): { declares: string[]; overrides: string[] } {
  const mine = declared.filter((m) => used.has(m)).sort(byCodeUnits);
  return { declares: mine.filter((m) => !builtIn.has(m)), overrides: mine.filter((m) => builtIn.has(m)) };
}

export interface ConfigNote {
  /** The Config read, as messages name it (prompts/promptctl.yaml). */
  config: string;
  /** The prompts directory it is in, and --out, as the user wrote them. */
  source: string;
  out: string;
  models: { declares: string[]; overrides: string[] };
  findings: ConfigFindings;
}

/**
 * The note (a warning when plan --dir OUT would fail) for an export checked with a Config that --out does not hold, when that Config changes
 * what the check finds (`undefined` when it changes nothing): plan --dir OUT, which reads none,
 * would otherwise fail, or pass, on what the export never said. Why (the models it sets) and what
 * differs, then what to do.
 */
export function configNote(n: ConfigNote): string | undefined {
  const { added, dropped } = n.findings;
  if (added.length === 0 && dropped.length === 0) return undefined;
  const out = visibleName(n.out);
  const models = (verb: string, ms: readonly string[]) => (ms.length > 0 ? [`${verb} model${ms.length === 1 ? '' : 's'} ${ms.map(visibleName).join(', ')}`] : []);
  const sets = [...models('declares', n.models.declares), ...models('overrides', n.models.overrides)];
  const why = sets.length > 0 ? `; it ${sets.join(' and ')}, and without it` : '; without it';
  const found = [
    ...(added.length > 0 ? [`plan finds ${plural(added.length, 'error')} this check did not (${firstOf(added)})`] : []),
    ...(dropped.length > 0 ? [`${added.length > 0 ? 'does' : 'plan does'} not find ${dropped.length === 1 ? 'the error above' : `${dropped.length} of the errors above`} (${firstOf(dropped)})`] : []),
  ].join(' and ');
  // A warning where plan --dir OUT would fail on it (export --help promises a warning names what differs there).
  return (
    `${added.length > 0 ? 'warning' : 'note'}: the export was checked with ${visibleName(n.config)}, which plan --dir ${shellWord(n.out)} does not read (export writes no promptctl.yaml)${why} ${found}: ` +
    `copy it into ${out} before \`promptctl plan --dir ${shellWord(n.out)}\`, or move the files into ${visibleName(n.source)}`
  );
}

/** The first of `ds` at its place, and how many more. */
function firstOf(ds: readonly Diagnostic[]): string {
  const d = ds[0]!;
  const more = ds.length > 1 ? `, and ${ds.length - 1} more` : '';
  return `${visibleName(d.file)}:${d.line}:${d.column}: ${oneLine(d.message)} [${d.rule}]${more}`;
}
