// Every rule id a diagnostic can carry is in the README's rule tables (or its plan-file list):
// "Every diagnostic carries a rule id", and the README is where a user looks one up. Three yaml/
// ids a validate reported were in no table. Rule ids are written as 'family/name' literals, in a
// diagnostic's `rule:`, handed to a maker, or chosen by a ternary; every such literal in the
// sources is looked for, but those named below, which are no rule ids.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** 'x/y' literals of the sources that are not rule ids: media types, the apiVersion, a cache key's tag, a column of status. */
const NOT_RULE_IDS = new Set(['application/json', 'text/event-stream', 'promptctl/v1', 'tiktoken-encode-ordinary/1', 'tokens/call']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Every single-quoted 'family/name' literal of the sources. */
function slashLiterals(): Set<string> {
  const ids = new Set<string>();
  for (const file of sources(join(ROOT, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/'([a-z][a-z-]*\/[a-z0-9][a-z0-9.-]*)'/g)) ids.add(m[1]!);
  }
  return ids;
}

describe('README rule ids', () => {
  it('names every rule id the sources give a diagnostic', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const ids = [...slashLiterals()].filter((id) => !NOT_RULE_IDS.has(id));
    // Those the reviews found missing or missed are among those looked for (a ternary's too).
    expect(ids).toEqual(expect.arrayContaining(['yaml/null-key', 'yaml/collection-key', 'yaml/continued-item', 'plan/seal', 'plan/schema', 'file-ref/not-text']));
    expect(ids.filter((id) => !readme.includes(`\`${id}\``)).sort()).toEqual([]);
  });
});
