// A credential of the run in the org's text a drift report shows: `plan` masks the run's secrets
// before it lays the report out, but drift masked only what it printed, so a long line the markdown
// cut short ("…") at the size of a block showed the first characters of a value, too few for
// masking to know as its start. Drift now masks before laying out too.
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('a credential in a long line of live text that drift --format markdown cuts', () => {
  it('shows none of it, where the cut falls inside the value', async () => {
    const secret = `Qz7${Math.random().toString(36).slice(2, 10)}-drift-secret`;
    s = await scenario('basic', { clientSecret: secret });
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=A', '-c', 'user.email=a@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: s!.dir.path, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'prompts');
    // By hand: version 1.0.0 remade with one long line (its diff is past a block's size, so cut at 600
    // characters from the line's start), the secret starting 5 characters before the cut.
    const t = (await s.emu.api.listTemplates({ name: 'billing-assistant', expand: ['versions', 'traffic'] }))[0]!;
    const v = t.versions!.find((x) => x.version === '1.0.0')!;
    await s.emu.api.putTraffic(t.id, { strategy: 'random', routes: [{ version: '1.1.0', weight: 100 }], version: t.traffic!.version });
    await s.emu.api.deleteVersion(t.id, '1.0.0');
    const line = `#${'x'.repeat(594)}${secret} ${'y'.repeat(13_000)}\n`;
    const { version: label, userTemplate, variables, temperature, maxTokens, safetyGuardrails } = v;
    await s.emu.api.createVersion(t.id, { version: label, systemInstruction: line, userTemplate, variables, temperature, maxTokens, safetyGuardrails });
    await s.emu.api.publishVersion(t.id, '1.0.0');
    const md = await s.cli(['drift', '--format', 'markdown']);
    // The live line, cut 600 characters from its start.
    expect(md.stdout).toMatch(/^\s*-#x{594}\S{5}…$/m);
    expect(md.stdout + md.stderr).not.toContain(secret.slice(0, 5));
  });
});
