// An org whose expanded listing page is larger than promptctl takes in (64 MiB in a real run; a
// small cap here, Io.maxAnswerBytes): the page is asked again at half the size, down to 1, the
// listing starting over at that size, said once on stderr. Apply, a re-run and export all failed
// on it ("gzip body could not be decoded: Cannot create a Buffer larger than …"), plan alone
// working from the digest view; a publication is now confirmed from the digest view too.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';
import { plannedChanges } from '../helpers/scenario.js';

const open: Array<{ close(): Promise<unknown> } | TempDir> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await ('remove' in x ? x.remove() : x.close());
});

const CAP = 64 * 1024;
const TEMPLATES = 30;
const VERSIONS = 3;

/** A template with its versions, each system prompt about 2 KB and its own. */
function templateFile(t: number): string {
  const name = `big-${String(t).padStart(3, '0')}`;
  const docs = [`apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: ${name}\nspec:\n  model: gpt-4o\n`];
  for (let v = 0; v < VERSIONS; v++) {
    const lines = Array.from({ length: 20 }, (_, i) => `    Rule ${t}.${v}.${i}: answer politely, cite the policy section that applies, keep notes internal.`);
    docs.push(`apiVersion: promptctl/v1\nkind: PromptVersion\nspec:\n  template: ${name}\n  version: "1.${v}.0"\n  systemInstruction: |\n${lines.join('\n')}\n  userTemplate: "Question: {{q}}"\n  variables:\n    - {name: q, type: string, maxLength: 100}\n`);
  }
  // Routed to: published, which apply confirms from a listing.
  docs.push(`apiVersion: promptctl/v1\nkind: TrafficSplit\nspec:\n  template: ${name}\n  routes:\n    - {version: "1.0.0", weight: 100}\n`);
  return docs.join('---\n');
}

describe('listing pages too large to take in', () => {
  let emu: TestEmulator;
  let dir: TempDir;
  const cli = (args: string[]) => runCliInProcess(args, { cwd: dir.path, env: emu.env, maxAnswerBytes: CAP });

  it('are read smaller: apply, its re-run and export succeed, the smaller pages said once', async () => {
    dir = await promptsIn('pages-too-large-', Object.fromEntries(Array.from({ length: TEMPLATES }, (_, t) => [`t${t}.yaml`, templateFile(t)])), 'prompts');
    emu = await startTestEmulator({ rateLimit: 1_000_000 });
    open.push(emu, dir);
    const applied = await cli(['apply', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    // A whole page of 100 templates' versions is past the cap: so the org really is too large for it.
    const whole = await emu.api.listTemplates({ expand: ['versions', 'traffic'] });
    expect(JSON.stringify(whole).length).toBeGreaterThan(2 * CAP);

    const again = await cli(['apply', '--auto-approve']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/No changes/);

    const exported = await cli(['export', '--out', 'ex']);
    expect(exported.code, exported.stderr).toBe(0);
    const notices = exported.stderr.match(/^listing: GET \/api\/v2\/llmgateway\/prompttemplates is read \d+ entities a page: its pages of 100 were too large to take in$/gm) ?? [];
    expect(notices.length, exported.stderr).toBe(1);
    expect((await readdir(join(dir.path, 'ex'), { recursive: true })).filter((f) => f.includes('big-')).length).toBe(TEMPLATES);
    const plan = await cli(['plan', '--dir', 'ex']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plannedChanges(plan.stdout)).toEqual([]);
  }, 120_000);
});
