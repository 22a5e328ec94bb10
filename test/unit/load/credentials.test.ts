// load/loader.ts masks credentials in every diagnostic message once, after every rule has run:
// a credential in a field is reported by secrets/detected and repeated by no other message, on
// each path the loader checks a state (the union, each environment, one --env, a document that
// failed its schema).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/load/index.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';

const TOKEN = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
const KEY = 'sk-abcdefghij1234567890XYZ';
const KNOWN = 'hunter2-but-longer';

const CONFIG = 'apiVersion: promptctl/v1\nkind: Config\nspec:\n  environments:\n    dev: {credentials: GC_DEV}\n    prod: {credentials: GC_PROD}\n';
const TEMPLATE = 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: billing\nspec:\n  model: gpt-4o\n';
// Every placeholder is undeclared, and that rule quotes it: the credential is in its message.
const VERSION = (version: string, extra = '') =>
  `apiVersion: promptctl/v1\nkind: PromptVersion\n${extra}spec:\n  template: billing\n  version: "${version}"\n  systemInstruction: Be brief.\n  userTemplate: "Use {{ ${TOKEN} }}, {{${KEY}}} and {{${KNOWN}}}."\n`;

let dir: string;
async function write(rel: string, text: string): Promise<void> {
  await writeFile(path.join(dir, rel), text);
}
const load = (environment?: string) =>
  loadProject({ dir: 'p', cwd: path.dirname(dir), knownSecrets: [{ name: 'DB_PASSWORD', value: KNOWN }], ...(environment ? { environment } : {}) });

function expectMasked(ds: readonly Diagnostic[]): void {
  expect(ds.filter((d) => d.rule === 'secrets/detected').length).toBeGreaterThan(0);
  expect(ds.some((d) => d.rule !== 'secrets/detected')).toBe(true);
  for (const d of ds) {
    expect(d.message, d.rule).not.toContain(TOKEN.slice(4, 20));
    expect(d.message, d.rule).not.toContain(KEY.slice(3, 20));
    expect(d.message, d.rule).not.toContain(KNOWN);
  }
}

beforeEach(async () => {
  const base = await mkdtemp(path.join(tmpdir(), 'promptctl-credentials-'));
  dir = path.join(base, 'p');
  await mkdir(dir);
});
afterEach(() => rm(path.dirname(dir), { recursive: true, force: true }));

describe('loadProject: no message but secrets/detected repeats a credential', () => {
  it('in the union, without environments', async () => {
    await write('t.yaml', TEMPLATE);
    await write('v.yaml', VERSION('1.0.0'));
    const r = await load();
    expect(r.diagnostics.filter((d) => d.rule.startsWith('placeholders/')).length).toBeGreaterThan(0);
    expectMasked(r.diagnostics);
  });

  it('in the union and in each environment whose state differs', async () => {
    await write('promptctl.yaml', CONFIG);
    await write('t.yaml', TEMPLATE);
    await write('v.yaml', VERSION('1.0.0'));
    await write('w.yaml', VERSION('1.1.0', 'metadata:\n  environments: [dev]\n'));
    expectMasked((await load()).diagnostics);
  });

  it('in the one environment --env names', async () => {
    await write('promptctl.yaml', CONFIG);
    await write('t.yaml', TEMPLATE);
    await write('v.yaml', VERSION('1.0.0', 'metadata:\n  environments: [dev]\n'));
    expectMasked((await load('dev')).diagnostics);
  });

  it('in a document that failed its schema, and in the schema message quoting the value', async () => {
    await write('t.yaml', TEMPLATE);
    await write('v.yaml', `${VERSION('1.0.0')}  temperature: "${KEY}"\n`);
    const r = await load();
    expect(r.state!.versions).toEqual([]);
    expect(r.diagnostics.some((d) => d.rule.startsWith('schema/'))).toBe(true);
    expectMasked(r.diagnostics);
  });
});
