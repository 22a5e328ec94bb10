// The client secret pasted into prompt text: validate names the variable (never the value), plan
// and apply refuse, and nothing the run prints or saves carries the value.
import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('a secret in prompt text', () => {
  it('is a located error naming its variable, and is printed nowhere', async () => {
    const secret = `tr0ub4dor-${Math.random().toString(36).slice(2)}-xyz`;
    s = await scenario('basic', { clientSecret: secret });
    const file = join(s.dir.path, 'prompts/billing/billing-assistant.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('description: Answers billing questions', `description: Answers billing questions (${secret})`));
    const outputs: string[] = [];
    for (const args of [['validate'], ['plan', '--out', 'plan.json'], ['apply', '--auto-approve'], ['validate', '--format', 'json']]) {
      const r = await s.cli(args);
      outputs.push(r.stdout, r.stderr);
      expect(r.code, args.join(' ')).toBe(1);
    }
    const joined = outputs.join('\n');
    expect(joined).toMatch(/billing-assistant\.yaml:\d+:\d+: error: description contains the value of GENESYSCLOUD_OAUTHCLIENT_SECRET; remove it/);
    expect(joined).not.toContain(secret);
    expect(existsSync(join(s.dir.path, 'plan.json'))).toBe(false);
    expect((await s.emu.api.listTemplates()).length).toBe(0);
  });
});

describe('a secret in prompt text in a form output masks it in', () => {
  it.each([
    ['URL-encoded', (v: string) => encodeURIComponent(v)],
    ['base64-encoded, inside a longer text', (v: string) => Buffer.from(`token=${v}`).toString('base64')],
    ['upper-cased', (v: string) => v.toUpperCase()],
  ])('%s: validate reports it at its place, as it reports the value itself, and nothing reaches the org', async (_form, encode) => {
    const secret = `tr0ub4dor+${Math.random().toString(36).slice(2)}/xyz`;
    s = await scenario('basic', { clientSecret: secret });
    const file = join(s.dir.path, 'prompts/billing/billing-assistant.yaml');
    const text = await readFile(file, 'utf8');
    const encoded = encode(secret);
    await writeFile(file, text.replace('description: Answers billing questions', `description: Answers billing questions (${encoded})`));
    const validate = await s.cli(['validate']);
    expect(validate.code, validate.stderr).toBe(1);
    expect(validate.stdout + validate.stderr).toMatch(/billing-assistant\.yaml:\d+:\d+: error: description contains the value of GENESYSCLOUD_OAUTHCLIENT_SECRET; remove it/);
    const apply = await s.cli(['apply', '--auto-approve']);
    expect(apply.code, apply.stderr).toBe(1);
    expect((await s.emu.api.listTemplates()).length).toBe(0);
  });
});

describe('a secret on the command line', () => {
  it('is masked in a usage error (an unknown option or a bad choice echoes what was typed)', async () => {
    const { runCliInProcess } = await import('../helpers/cli.js');
    const { tempDir } = await import('../helpers/tmp.js');
    const dir = await tempDir('promptctl-usage-');
    try {
      const secret = `tr0ub4dor-${Math.random().toString(36).slice(2)}-xyz`;
      const env = { GENESYSCLOUD_OAUTHCLIENT_SECRET: secret };
      for (const args of [['plan', `--client-secret=${secret}`], ['test', '--format', secret], [`--token=${secret}`]]) {
        const r = await runCliInProcess(args, { cwd: dir.path, env });
        expect(r.code, args.join(' ')).toBe(1);
        expect(r.stderr, args.join(' ')).toMatch(/^error: /m);
        expect(r.stdout + r.stderr, args.join(' ')).not.toContain(secret);
      }
    } finally {
      await dir.remove();
    }
  });
});
