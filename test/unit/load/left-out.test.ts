// The documents a load leaves out of the desired state, as data (LoadResult `leftOut`): what each
// was meant to be, read from what the loader parsed, and the first error inside it.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/load/index.js';

const TEMPLATE = (name: string, extra = '') => `apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: ${name}\n${extra}spec:\n  model: gpt-4o\n`;
const VERSION = (template: string, version: string, extra = '', meta = '') =>
  `apiVersion: promptctl/v1\nkind: PromptVersion\n${meta}spec:\n  template: ${template}\n  version: ${version}\n  systemInstruction: Be brief.\n  userTemplate: "{{q}}"\n  variables:\n    - {name: q, type: string, maxLength: 100}\n${extra}`;

let base: string;
beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'promptctl-left-out-'));
  await mkdir(path.join(base, 'p'));
});
afterEach(() => rm(base, { recursive: true, force: true }));
const write = (rel: string, text: string) => writeFile(path.join(base, 'p', rel), text);
const load = () => loadProject({ dir: 'p', cwd: base });

describe('LoadResult leftOut', () => {
  it('is empty on a clean load, and names promptctl.yaml', async () => {
    await write('a.yaml', `${TEMPLATE('billing')}---\n${VERSION('billing', '"1.0.0"')}`);
    const r = await load();
    expect(r.diagnostics).toEqual([]);
    expect(r.leftOut).toEqual([]);
    expect(r.configFile).toBe('p/promptctl.yaml');
  });

  it('holds each document that failed, its address as written and its environments, at the first error inside it', async () => {
    await write(
      'a.yaml',
      `${TEMPLATE('billing', '  environments: [dev]\n  description: 42\n')}---\n${VERSION('billing', '1.0', '', 'metadata:\n  environments: [dev, 7]\n')}---\n${VERSION('billing', '"1.1.0"')}`,
    );
    const r = await load();
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(r.leftOut).toEqual([
      { kind: 'PromptTemplate', name: 'billing', address: 'PromptTemplate/billing', environments: ['dev'], firstError: { file: 'p/a.yaml', line: 6, column: 3 } },
      { kind: 'PromptVersion', name: 'billing', address: 'PromptVersion/billing@1.0', environments: ['dev', '7'], firstError: expect.objectContaining({ file: 'p/a.yaml' }) },
    ]);
    // Each first error is one of the run's, inside its document (lines 9 to 20 for the version).
    for (const d of r.leftOut) expect(errors).toContainEqual(expect.objectContaining(d.firstError));
    expect(r.leftOut[1]!.firstError.line).toBeGreaterThanOrEqual(9);
    expect(r.leftOut[1]!.firstError.line).toBeLessThan(21);
    expect(r.state!.versions.map((v) => v.version)).toEqual(['1.1.0']);
  });

  it('holds a document whose only YAML problem is a duplicate key once, and one with a custom tag at its own error', async () => {
    await write(
      'a.yaml',
      `${TEMPLATE('billing')}---\n${VERSION('billing', '"1.0.0"', '  temperature: !x 1\n')}---\n${VERSION('billing', '"1.1.0"', '  temperature: !y 1\n')}---\n${VERSION('billing', '"1.2.0"', '  maxTokens: 10\n  maxTokens: 20\n')}`,
    );
    const r = await load();
    expect(r.leftOut.map((d) => [d.address, `${d.firstError.line}:${d.firstError.column}`])).toEqual([
      ['PromptVersion/billing@1.0.0', '17:16'],
      ['PromptVersion/billing@1.1.0', '28:16'],
      ['PromptVersion/billing@1.2.0', '40:3'],
    ]);
    for (const d of r.leftOut) expect(r.diagnostics).toContainEqual(expect.objectContaining({ ...d.firstError, severity: 'error' }));
  });
});
