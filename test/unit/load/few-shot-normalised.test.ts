// Few-shot examples are prompt text, normalised once when loaded like the others (DESIGN §2: CRLF
// and lone CR become LF, a leading BOM is dropped), and a finding in one is placed where it is written.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/load/index.js';

const TEMPLATE = 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: billing\nspec:\n  model: gpt-4o\n';
const TOKEN = `ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`;
const VERSION = `apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: billing
  version: "1.0.0"
  systemInstruction: Be brief.
  userTemplate: "{{q}}"
  variables:
    - {name: q, type: string, maxLength: 100}
  fewShotExamples:
    - input: "\\ufeffWhere\\r\\nis it?\\rNow"
      output: "One\\r\\ntwo\\r\\nthree ${TOKEN}"
`;

let base: string;
beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'promptctl-few-shot-'));
  await mkdir(path.join(base, 'p'));
  await writeFile(path.join(base, 'p/t.yaml'), TEMPLATE);
  await writeFile(path.join(base, 'p/v.yaml'), VERSION);
});
afterEach(() => rm(base, { recursive: true, force: true }));

describe('few-shot examples', () => {
  it('are normalised as they load', async () => {
    const r = await loadProject({ dir: 'p', cwd: base });
    expect(r.state!.versions[0]!.fewShotExamples).toEqual([{ input: 'Where\nis it?\nNow', output: `One\ntwo\nthree ${TOKEN}` }]);
  });

  it('place a finding at its own column after "\\r\\n" escapes', async () => {
    const r = await loadProject({ dir: 'p', cwd: base });
    const secret = r.diagnostics.find((d) => d.rule.startsWith('secrets/'));
    expect(secret, JSON.stringify(r.diagnostics)).toBeDefined();
    const line = VERSION.split('\n')[secret!.line - 1]!;
    expect(secret!.column).toBe(line.indexOf('ghp_') + 1);
  });
});
