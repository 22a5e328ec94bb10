// What promote and rollback changed in a YAML file: a unified diff (a/ and b/ as git prints them),
// coloured when colour is on, and the routes before and after in one line each. Pure.
import type { Style } from './style.js';
import { unifiedDiff } from './textdiff.js';

export interface RouteWeight {
  version: string;
  weight: number;
}

/**
 * `git diff`-style patch of one file, +/- lines coloured. Lines are compared as the loader reads
 * them (CRLF and lone CR are line ends): a lone-CR file is more than one line, and no CR reaches
 * the terminal to overwrite what it shows.
 */
export function renderFileEdit(file: string, before: string, after: string, style: Style): string {
  const lines = (text: string) => text.replace(/\r\n?/g, '\n');
  const patch = unifiedDiff(`a/${file}`, `b/${file}`, lines(before), lines(after));
  const out = patch.split('\n').filter((l) => !l.startsWith('====='));
  // The header is what comes before the first hunk: a removed line `--` (a YAML document's `---`
  // marker, removed) starts `---` too, and is a removal.
  const hunks = out.findIndex((l) => l.startsWith('@@'));
  return out
    .map((l, i) => {
      if (hunks < 0 || i < hunks) return style('bold', l);
      if (l.startsWith('@@')) return style('cyan', l);
      if (l.startsWith('+')) return style('green', l);
      if (l.startsWith('-')) return style('red', l);
      return l;
    })
    .join('\n')
    .replace(/\n+$/, '\n');
}

/** "1.0.0 80 → 0, 1.1.0 20 → 100" (every route, changed or not). */
export function describeWeights(before: readonly RouteWeight[], after: readonly RouteWeight[]): string {
  const was = new Map(before.map((r) => [r.version, r.weight]));
  return after
    .map((r) => {
      const old = was.get(r.version);
      return old === undefined ? `${r.version} new → ${r.weight}%` : old === r.weight ? `${r.version} ${r.weight}%` : `${r.version} ${old}% → ${r.weight}%`;
    })
    .join(', ');
}
