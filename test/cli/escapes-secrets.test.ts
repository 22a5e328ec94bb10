// A credential of the run's environment, with a line break and every character some view escapes,
// in text the reports quote: a live object's name (an unmanaged template made by hand in the UI)
// in plan and drift, a value a file holds in validate's diagnostics. Every format masks it, also
// where a markdown cell writes its line break as a space, a one-line message as \n, an annotation
// as %0A, or a view escapes its punctuation.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { scenario, type Scenario } from '../helpers/scenario.js';
import { tempDir } from '../helpers/tmp.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const MASKED = '[redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET]';

/** A fresh value: letters on each side of the line break that no escape changes, so any form of it holds one of them. */
function multiLineSecret(): { secret: string; first: string; second: string } {
  const first = `k1${Math.random().toString(36).slice(2, 8)}`;
  const second = `k2${Math.random().toString(36).slice(2, 8)}`;
  return { secret: `${first} | < > & " ' \\ \` * _ [ ] # % : ,\n${second} end`, first, second };
}

describe('a multi-line credential in a live object name', () => {
  it('plan and drift mask it in text, markdown and JSON', async () => {
    const { secret, first, second } = multiLineSecret();
    s = await scenario('basic', { clientSecret: secret });
    const applied = await s.cli(['apply', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    await s.emu.api.createTemplate({ name: `hand made ${secret}`, model: 'gpt-4o-mini' });
    for (const args of [
      ['plan'],
      ['plan', '--format', 'markdown'],
      ['plan', '--format', 'json'],
      ['drift'],
      ['drift', '--format', 'markdown'],
      ['drift', '--format', 'json'],
    ]) {
      const r = await s.cli(args);
      const what = args.join(' ');
      expect(r.stdout, `${what}: names the template`).toContain('hand made');
      const out = r.stdout + r.stderr;
      expect(out, what).not.toContain(secret);
      expect(out, what).not.toContain(first);
      expect(out, what).not.toContain(second);
      // Markdown may show the mask itself escaped (a plan file's data is masked before it is rendered).
      const shown = args.includes('markdown') ? r.stdout.replace(/\\([\\`*_[\]|#~$])/g, '$1') : r.stdout;
      expect(shown, what).toContain(MASKED);
    }
  });
});

describe('a multi-line credential quoted in a diagnostic', () => {
  it('validate masks it in text, JSON and GitHub annotations (a value quoted on one line, then escaped)', async () => {
    const { secret, first, second } = multiLineSecret();
    const dir = await tempDir('promptctl-escapes-');
    try {
      await mkdir(join(dir.path, 'prompts'));
      await writeFile(join(dir.path, 'prompts', 'a.yaml'), `apiVersion: promptctl/v1\nkind: ${JSON.stringify(secret)}\nmetadata:\n  name: x\nspec: {}\n`);
      for (const format of ['text', 'json', 'github']) {
        const r = await runCliInProcess(['validate', '--format', format], { cwd: dir.path, env: { GENESYSCLOUD_OAUTHCLIENT_SECRET: secret } });
        expect(r.code, `${format}: ${r.stderr}`).toBe(1);
        expect(r.stdout, format).toContain('unknown kind');
        const out = r.stdout + r.stderr;
        expect(out, format).not.toContain(secret);
        expect(out, format).not.toContain(first);
        expect(out, format).not.toContain(second);
        // The message quotes the value as written (its line break too), so the loader's own masking
        // of diagnostics (rules/secrets.ts withoutCredentials) names it first.
        expect(r.stdout, format).toMatch(/\[redacted: (the value of )?GENESYSCLOUD_OAUTHCLIENT_SECRET\]/);
      }
    } finally {
      await dir.remove();
    }
  });
});

describe('a long credential a message quotes cut short', () => {
  it('validate masks the start a schema error quotes before its "…" (60 characters of a longer value), in every format', async () => {
    // 72 characters: the message quotes the first 60, so the whole value is nowhere in it.
    const secret = `Zq${Array.from({ length: 70 }, (_, i) => 'abcdefghijkmnopqrstuvwxyz0123456789'[(i * 7 + Math.floor(Math.random() * 35)) % 35]).join('')}`;
    const dir = await tempDir('promptctl-escapes-');
    try {
      await mkdir(join(dir.path, 'prompts'));
      await writeFile(join(dir.path, 'prompts', 'a.yaml'), `apiVersion: promptctl/v1\nkind: ${secret}\nmetadata:\n  name: x\nspec: {}\n`);
      for (const format of ['text', 'json', 'github']) {
        const r = await runCliInProcess(['validate', '--format', format], { cwd: dir.path, env: { MY_API_TOKEN: secret } });
        expect(r.code, `${format}: ${r.stderr}`).toBe(1);
        expect(r.stdout, format).toContain('unknown kind');
        expect(r.stdout + r.stderr, format).not.toContain(secret.slice(0, 12));
        expect(r.stdout, format).toContain('[redacted: MY_API_TOKEN]…');
      }
    } finally {
      await dir.remove();
    }
  });
});
