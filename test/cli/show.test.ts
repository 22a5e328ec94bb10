// `promptctl show PLANFILE`: a saved plan rendered again, checked first (schema and seal).
import { execFileSync, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('promptctl show', () => {
  it('renders a saved plan in every format, as plan did, without a target', async () => {
    s = await scenario();
    const planned = await s.cli(['plan', '--out', 'plan.json']);
    expect(planned.code, planned.stderr).toBe(0);
    const text = await s.cli(['show', 'plan.json']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(planned.stdout);
    expect(text.stderr).toMatch(/^plan.json: plan [0-9a-f-]{36} for /);
    // The org the seal binds it to, which apply holds it to: the target label is only a label.
    const saved = JSON.parse(await readFile(join(s.dir.path, 'plan.json'), 'utf8')) as { org: { id: string; host: string } };
    expect(text.stderr.split('\n')[0]).toMatch(new RegExp(`, made [^;]+; sealed to org ${saved.org.id} at ${saved.org.host.replace(/[.()]/g, '\\$&')}$`));
    const json = await s.cli(['show', 'plan.json', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(await readFile(join(s.dir.path, 'plan.json'), 'utf8')));
    const md = await s.cli(['show', 'plan.json', '--format', 'markdown']);
    expect(md.stdout.split('\n')[0]).toMatch(/^\*\*Plan:\*\* 10 to create/);
  });

  it("names the prompts directory the plan was made from in its no-changes line, not prompts/", async () => {
    s = await scenario();
    // The project's prompts moved to gw/: the saved plan records dir "gw", which show must name.
    execFileSync('mv', ['prompts', 'gw'], { cwd: s.dir.path });
    expect((await s.cli(['apply', '--dir', 'gw', '--auto-approve'])).code).toBe(0);
    const planned = await s.cli(['plan', '--dir', 'gw', '--out', 'plan.json']);
    expect(planned.stdout).toContain('Live state matches gw/.');
    const text = await s.cli(['show', 'plan.json']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(planned.stdout);
    const md = await s.cli(['show', 'plan.json', '--format', 'markdown']);
    expect(md.stdout).toContain('Live state matches `gw/`.');
  });

  it('refuses a file that does not match the plan schema, naming file:line:column', async () => {
    s = await scenario();
    expect((await s.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const path = join(s.dir.path, 'plan.json');
    const doc = JSON.parse(await readFile(path, 'utf8'));
    doc.actions[0].action = 'upsert';
    await writeFile(path, JSON.stringify(doc, null, 2));
    const r = await s.cli(['show', 'plan.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/plan\.json:\d+:\d+: error: actions\[0\]\.action: must be one of "create", "update", "delete", "noop", not "upsert" \[plan\/schema\]/);
    expect(r.stderr).not.toMatch(/internal|at .*\.js:\d+/);
  });

  it('says a directory given as the plan file is one', async () => {
    s = await scenario();
    const r = await s.cli(['show', 'prompts']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: plan file prompts is a directory: give the file `plan --out` wrote');
    expect(r.stderr).not.toContain('EISDIR');
  });

  it('refuses a device given as the plan file without reading it (/dev/zero never ends), and reads one through a pipe', async () => {
    s = await scenario();
    const zero = await s.cli(['show', '/dev/zero']);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toContain('error: plan file /dev/zero is not a regular file or a pipe: give the file `plan --out` wrote');
    // `show <(git show main:plan.json)` and `apply /dev/stdin` read a pipe.
    expect((await s.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const fifo = join(s.dir.path, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', 'cat plan.json > fifo.json'], { cwd: s.dir.path, stdio: 'ignore' });
    const written = new Promise((ok) => writer.once('exit', ok));
    const shown = await s.cli(['show', 'fifo.json']);
    await written;
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/to create/);
  });

  it('reads the plan from stdin given -, as plan --format json writes it, and says what is wrong with what was piped', async () => {
    s = await scenario();
    const json = await s.cli(['plan', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const text = await s.cli(['show', '-'], {}, json.stdout);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Plan for .*\n[\s\S]*\+ create SafetyFilter\//);
    expect(text.stdout).toMatch(/^Plan: 10 to create, 0 to update, 0 to delete\.$/m);
    expect(text.stderr).toMatch(/^stdin: plan [0-9a-f-]{36} for /);
    const again = await s.cli(['show', '-', '--format', 'json'], {}, json.stdout);
    expect(JSON.parse(again.stdout)).toEqual(JSON.parse(json.stdout));

    // Nothing piped in (the command before the pipe failed): said so, not "file - does not exist".
    for (const input of ['', ' \n\n']) {
      const empty = await s.cli(['show', '-'], {}, input);
      expect(empty.code).toBe(1);
      expect(empty.stderr).toContain('error: stdin held no plan (nothing was piped in): pipe one in (`promptctl plan --format json | promptctl show -`)');
    }
    // Cut short: told to pipe the whole plan in, not to remove a file named stdin.
    const cut = await s.cli(['show', '-'], {}, json.stdout.slice(0, 200));
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/stdin holds no valid plan; nothing was done:\nstdin:\d+:\d+: error: not a promptctl plan: it ends before the plan does, so it was cut short \(truncated\); pipe the whole plan in \(`promptctl plan --format json \| promptctl show -`\)/);
    // A terminal is not waited on.
    const tty = await runCliInProcess(['show', '-'], { cwd: s.dir.path, tty: true });
    expect(tty.code).toBe(1);
    expect(tty.stderr).toContain('error: show - reads the plan from stdin, which is a terminal: pipe a plan in');
  });

  // A drift report is the plan JSON with a `drift` list: show and apply said only "unknown field drift".
  it('says a drift report given as the plan is one, and what to run instead', async () => {
    s = await scenario();
    const drift = await s.cli(['drift', '--format', 'json']);
    expect(drift.code, drift.stderr).toBe(2);
    await writeFile(join(s.dir.path, 'drift.json'), drift.stdout);
    for (const args of [['show', 'drift.json'], ['apply', 'drift.json']]) {
      const r = await s.cli(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(
        /drift\.json:\d+:\d+: error: not a saved plan but a drift report \(what `promptctl drift --format json` writes\): `promptctl drift` shows the drift again \(`--format markdown` for a comment\); `promptctl plan --out FILE` saves a plan to show or apply \[plan\/schema\]/,
      );
      expect(r.stderr, args.join(' ')).not.toContain('unknown field drift');
    }
    const piped = await s.cli(['show', '-'], {}, drift.stdout);
    expect(piped.stderr).toMatch(/stdin:\d+:\d+: error: not a saved plan but a drift report/);
  });
});
