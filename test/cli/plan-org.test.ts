// A plan is bound to its org: made for org A, it is refused by org B even at the same URL and
// with identical objects (a copy of A's state), naming both orgs, before any change.
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { fixtureCopy, tempDir, type TempDir } from '../helpers/tmp.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function emulatorOn(port: number, stateFile: string, clientId?: string): Promise<TestEmulator> {
  const e = await startTestEmulator({ port, stateFile, ...(clientId ? { clientId } : {}) });
  open.push(e);
  return e;
}

describe('a plan bound to its org', () => {
  it('records the org and refuses to apply to another org at the same URL', async () => {
    const project: TempDir = await fixtureCopy('basic');
    const states: TempDir = await tempDir('promptctl-orgs-');
    open.push({ close: () => project.remove() }, { close: () => states.remove() });
    const a = await emulatorOn(0, join(states.path, 'a.json'));
    const port = Number(new URL(a.url).port);
    const cli = (args: string[], e: TestEmulator) => runCliInProcess(args, { cwd: project.path, env: e.env });

    expect((await cli(['apply', '--auto-approve'], a)).code).toBe(0);
    const filters = join(project.path, 'prompts/safety-filters.yaml');
    await writeFile(filters, (await readFile(filters, 'utf8')).replace('priority: 20', 'priority: 25'));
    const planned = await cli(['plan', '--out', 'plan.json', '--detailed-exitcode'], a);
    expect(planned.code, planned.stderr).toBe(2);
    const saved = JSON.parse(await readFile(join(project.path, 'plan.json'), 'utf8'));
    expect(saved.org).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'Emulated organization', host: `127.0.0.1:${port}`, clientId: 'local-client' });
    await a.close();
    open.splice(open.indexOf(a), 1);

    // Org B: the same objects (a copy of A's state), the same URL, another org.
    for (const ext of ['', '.journal']) {
      if (existsSync(join(states.path, `a.json${ext}`))) await copyFile(join(states.path, `a.json${ext}`), join(states.path, `b.json${ext}`));
    }
    const b = await emulatorOn(port, join(states.path, 'b.json'));
    const before = await b.api.listFilters();
    const r = await cli(['apply', 'plan.json'], b);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`plan.json was made for org "Emulated organization" ${saved.org.id} at 127.0.0.1:${port}`);
    expect(r.stderr).toMatch(/but the target is org "Emulated organization" [0-9a-f-]{36} at 127\.0\.0\.1/);
    // Each org's OAuth client as the target line shows it (shortened), not in full.
    expect(r.stderr).toContain(`target: http://127.0.0.1:${port} (client loca…)`);
    expect(r.stderr).toContain(`${saved.org.id} at 127.0.0.1:${port} (client loca…), but the target is org`);
    expect(r.stderr).not.toContain('local-client');
    expect(r.stderr).toMatch(/nothing was applied/);
    // Another org is no stale plan: planning it again here over plan.json would replace the reviewed
    // plan with one of the wrong org. It says which variables chose this org, and where a plan for it goes.
    expect(r.stderr).not.toMatch(/is stale|--out plan\.json/);
    expect(r.stderr).toContain(
      'A saved plan applies only to the org it was made for: apply it with GENESYSCLOUD_* naming that org, or, to change the target\'s org instead, make a plan for it in another file (`promptctl plan --out FILE`) and review that.',
    );
    expect(await b.api.listFilters()).toEqual(before);
  });

  // The pull request plans with a read-only client, the merge applies with a writing one: the same
  // org, so the same fingerprint (the apply workflow compares them) and a saved plan that applies.
  it('seals the org, not the OAuth client: a plan made with a read-only client is applied with another', async () => {
    const project: TempDir = await fixtureCopy('basic');
    const states: TempDir = await tempDir('promptctl-orgs-');
    open.push({ close: () => project.remove() }, { close: () => states.remove() });
    const stateFile = join(states.path, 'org.json');
    const cli = (args: string[], e: TestEmulator) => runCliInProcess(args, { cwd: project.path, env: e.env });
    const as = async <T>(clientId: string, port: number, fn: (e: TestEmulator) => Promise<T>): Promise<T> => {
      const e = await emulatorOn(port, stateFile, clientId);
      try {
        return await fn(e);
      } finally {
        await e.close();
        open.splice(open.indexOf(e), 1);
      }
    };
    const first = await emulatorOn(0, stateFile, 'writer-client');
    const port = Number(new URL(first.url).port);
    expect((await cli(['apply', '--auto-approve'], first)).code).toBe(0);
    await first.close();
    open.splice(open.indexOf(first), 1);
    const filters = join(project.path, 'prompts/safety-filters.yaml');
    await writeFile(filters, (await readFile(filters, 'utf8')).replace('priority: 20', 'priority: 25'));

    const reviewed = await as('reader-client', port, async (e) => {
      const r = await cli(['plan', '--out', 'plan.json', '--detailed-exitcode'], e);
      expect(r.code, r.stderr).toBe(2);
      return JSON.parse(await readFile(join(project.path, 'plan.json'), 'utf8')) as { fingerprint: string; org: { id: string; clientId: string } };
    });
    expect(reviewed.org.clientId).toBe('reader-client');
    await as('writer-client', port, async (e) => {
      const fresh = await cli(['plan', '--format', 'json'], e);
      const plan = JSON.parse(fresh.stdout) as { fingerprint: string; org: { id: string; clientId: string } };
      expect(plan.org).toMatchObject({ id: reviewed.org.id, clientId: 'writer-client' });
      expect(plan.fingerprint).toBe(reviewed.fingerprint);
      const r = await cli(['apply', 'plan.json'], e);
      expect(r.code, r.stderr).toBe(0);
      expect((await e.api.listFilters()).map((f) => f.priority)).toContain(25);
    });
  });
});
