// Audit sink URLs in promptctl.yaml are checked by validate at their line: before, an unusable
// one passed validate and plan, and apply only turned it off with a warning (exit 0); and a
// credential in the URL went into git unremarked.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  audit:
    http:
      - url: "ftp://audit.example.com/promptctl"
      - url: "http://audit.example.com/promptctl"
      - url: "https://u:hunter2-PLAIN@audit.example.com/p"
      - url: "https://audit.example.com/p?api_key=sk-123"
      - url: "https://audit.example.com/p?stream=prompts"
      - url: "https://audit.example.com/p?partition_key=prompts&sort.key=1&public_key=x&auth=none"
      - url: "http://127.0.0.1:9/p"
`;

describe('validate: audit sinks', () => {
  it('refuses each unusable sink URL at its line, without repeating a credential', async () => {
    dir = await tempDir();
    await mkdir(join(dir.path, 'prompts'));
    await writeFile(join(dir.path, 'prompts/promptctl.yaml'), CONFIG);
    const r = await runCliInProcess(['validate'], { cwd: dir.path, env: cleanEnv() });
    expect(r.code).toBe(1);
    // Each also lacks secretEnv (test/cli/audit-sink-unsigned.test.ts): the URL problems are these.
    const errors = r.stdout.split('\n').filter((l) => l.includes('[config/audit-sink]') && !l.includes('no secretEnv'));
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatch(/^prompts\/promptctl\.yaml:6:14: error: audit sink 1: unsupported protocol ftp: \(use https\)/);
    expect(errors[1]).toMatch(/^prompts\/promptctl\.yaml:7:14: error: audit sink 2: plain http is only allowed for loopback hosts; use https/);
    expect(errors[2]).toMatch(/^prompts\/promptctl\.yaml:8:14: error: audit sink 3: it holds a user name or password, .*secretEnv/);
    expect(errors[3]).toMatch(/^prompts\/promptctl\.yaml:9:14: error: audit sink 4: its query parameter "api_key" looks like a credential/);
    expect(r.stdout).not.toContain('hunter2');
    expect(r.stdout).not.toContain('sk-123');
  });
});

describe('an audit sink signing key, whatever its variable is called', () => {
  it('is a known secret: pasted into a prompt document it is an error naming the variable, and nothing prints it', async () => {
    dir = await tempDir();
    const key = 'HmacK3y-7777abcd';
    await mkdir(join(dir.path, 'prompts'));
    await writeFile(
      join(dir.path, 'prompts/promptctl.yaml'),
      'apiVersion: promptctl/v1\nkind: Config\nspec:\n  audit:\n    http:\n      - url: "http://127.0.0.1:9/audit"\n        secretEnv: AUDIT_HMAC\n',
    );
    await writeFile(
      join(dir.path, 'prompts/t.yaml'),
      `apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: t\nspec:\n  model: gpt-4o-mini\n  description: signs with ${key}\n`,
    );
    for (const args of [['validate'], ['plan']]) {
      const r = await runCliInProcess(args, { cwd: dir.path, env: { ...cleanEnv(), AUDIT_HMAC: ` ${key} ` } });
      expect(r.code, args[0]).toBe(1);
      expect(r.stdout + r.stderr).toMatch(/prompts\/t\.yaml:7:\d+: error: description contains the value of AUDIT_HMAC/);
      expect(r.stdout + r.stderr).not.toContain(key);
    }
  });
});
