// DESIGN §5: an audit record's `content` is the canonical form, so any change can be rebuilt from
// the trail alone, and `hash` is that content's hash. A prompt variable named `__proto__` (the
// schema allows it; commit 6ef1627 made the canonical forms keep it) is dropped from the audit
// record's content: audit/scrub.ts redactJson copies members by assignment, and assigning
// `__proto__` sets the copy's prototype instead of a key.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalHash } from '../../src/kinds/canonical.js';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let emu: TestEmulator | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await emu?.close();
  await dir?.remove();
  emu = dir = undefined;
});

const YAML = [
  'apiVersion: promptctl/v1',
  'kind: PromptTemplate',
  'metadata: {name: proto-bot}',
  'spec: {model: gpt-4o-mini}',
  '---',
  'apiVersion: promptctl/v1',
  'kind: PromptVersion',
  'spec:',
  '  template: proto-bot',
  '  version: "1.0.0"',
  '  systemInstruction: Answer.',
  '  userTemplate: "Q: {{__proto__}} {{topic}}"',
  '  variables:',
  '    - {name: __proto__, type: string, maxLength: 20}',
  '    - {name: topic, type: string, maxLength: 30}',
  '',
].join('\n');

describe('the audit record of a version with a variable named __proto__', () => {
  it("holds that variable in its content, and its hash is the content's", async () => {
    emu = await startTestEmulator({});
    dir = await tempDir('promptctl-audit-proto-');
    await mkdir(join(dir.path, 'prompts'));
    await writeFile(join(dir.path, 'prompts', 'proto.yaml'), YAML);
    const applied = await runCliInProcess(['apply', '--dir', 'prompts', '--auto-approve'], { cwd: dir.path, env: emu.env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const lines = (await readFile(join(dir.path, '.promptctl', 'audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const record = lines.filter((r) => r.address === 'PromptVersion/proto-bot@1.0.0' && r.after?.content).at(-1);
    expect(record, JSON.stringify(lines, null, 1).slice(0, 2000)).toBeDefined();
    const content = record.after.content;
    expect(Object.keys(content.variables).sort()).toEqual(['__proto__', 'topic']);
    expect(content.variables.__proto__).toMatchObject({ maxLength: 20, type: 'string' });
    expect(canonicalHash(content)).toBe(record.after.hash);
  });
});
