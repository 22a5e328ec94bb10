// Every command's --help ends with what it exits with and examples a user can copy: each example
// names an option the command has, and the templates, tests, versions and environments of the
// example prompts/ (which the README's first command plans).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commandsFor } from '../../src/cli/main.js';
import { COMMANDS_WITH_HELP } from '../../src/cli/help.js';
import { runCliInProcess } from '../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLE = path.join(ROOT, 'prompts');

/** The options a command's --help lists (long names), from its Options section. */
function optionsOf(help: string): Set<string> {
  const section = help.split('\nOptions:\n')[1]?.split('\n\n')[0] ?? '';
  return new Set([...section.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]!));
}

/** The `$ promptctl …` lines of the Examples section, as argument lists (quotes kept simple). */
function examplesOf(help: string): string[][] {
  const section = help.split('\nExamples:\n')[1] ?? '';
  return section
    .split('\n')
    .map((l) => /\$ (?:.*? )?promptctl ([^#]*)/.exec(l)?.[1])
    .filter((s): s is string => s !== undefined)
    .map((s) => [...s.matchAll(/"[^"]*"|\S+/g)].map((m) => m[0]).filter((a) => a !== '\\' && a !== '&&'));
}

const help = (args: string[]) => runCliInProcess([...args, '--help'], { cwd: ROOT });

describe('--help', () => {
  it('the root names the target variables, the exit codes and where to look next', async () => {
    const r = await runCliInProcess(['--help'], { cwd: ROOT });
    expect(r.code).toBe(0);
    for (const v of ['GENESYSCLOUD_REGION', 'GENESYSCLOUD_OAUTHCLIENT_ID', 'GENESYSCLOUD_OAUTHCLIENT_SECRET', 'GENESYSCLOUD_API_URL', '.promptctl/local-state.json']) expect(r.stdout).toContain(v);
    expect(r.stdout).toMatch(/Exit status: 0 success; 1 error or invalid input; 2 changes present/);
    expect(r.stdout).toContain('141 when the reader of the output goes away');
    expect(r.stdout).toContain('$ promptctl <command> --help');
  });

  it('every command has examples, and each uses only options the command has', async () => {
    const names = commandsFor([]);
    expect([...COMMANDS_WITH_HELP].sort()).toEqual([...names].sort());
    for (const name of names) {
      const out = (await help([name])).stdout;
      const examples = examplesOf(out);
      expect(examples.length, name).toBeGreaterThan(0);
      // What it exits with: said by every command (the emulator: how it ends).
      expect(out, name).toMatch(name === 'emulator' ? /exits 130/ : /^Exit status/m);
      // A repeatable option starts empty: commander would print that as "(default: [])".
      expect(out.replace(/\s+/g, ' '), name).not.toContain('(default: [])');
      // The commands that talk to a target, or run long, say what an interrupt exits with.
      if (['plan', 'apply', 'drift', 'export', 'test', 'run', 'status'].includes(name)) expect(out.split('Exit status')[1], name).toMatch(/130 after\s+(an\s+interrupt|Ctrl-C)/);
      for (const args of examples) {
        if (args[0] === '<command>') continue;
        const sub = args[0] === 'audit' ? ['audit', args[1]!] : [args[0]!];
        const known = optionsOf((await help(sub)).stdout);
        for (const flag of args.filter((a) => a.startsWith('--'))) expect(known, `${name}: ${args.join(' ')}`).toContain(flag.split('=')[0]);
      }
    }
  });

  // The npm package ships bin, dist and schemas (and README.md): a help text pointing into src/ sent
  // its reader to a file they do not have. emulator --responses names README's section instead.
  it('no --help points into src/, which the package does not ship; emulator --responses names the README section that has the format', async () => {
    for (const name of commandsFor([])) expect((await help([name])).stdout, name).not.toMatch(/\bsrc\//);
    const out = (await help(['emulator'])).stdout.replace(/\s+/g, ' ');
    const named = /--responses <file> canned model answers \(YAML or JSON; the format is in README\.md, "([^"]+)": "([^"]+)"\)/.exec(out);
    expect(named, out).not.toBeNull();
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf(`### ${named![1]}\n`));
    expect(section.length).toBeLessThan(readme.length);
    const para = section.slice(section.indexOf(`**${named![2]}.**`));
    expect(para.length).toBeLessThan(section.length);
    expect(para.slice(0, para.indexOf('\n\n**', 10))).toMatch(/promptctl emulator --responses answers\.yaml/);
  });

  it('audit verify has its own exit status and examples', async () => {
    const out = (await help(['audit', 'verify'])).stdout;
    expect(out).toMatch(/^Exit status: 0 when every record's hash chains/m);
    const known = optionsOf(out);
    const examples = examplesOf(out);
    expect(examples.length).toBe(3);
    for (const args of examples) for (const flag of args.filter((a) => a.startsWith('--'))) expect(known, args.join(' ')).toContain(flag);
  });

  // `help plna` is a typo as `plna` is: said as one, not answered with the whole usage alone.
  it('help with an unknown command says which, with a suggestion, and exits 1', async () => {
    const root = await runCliInProcess(['help', 'plna'], { cwd: ROOT });
    expect(root.code).toBe(1);
    expect(root.stdout).toBe('');
    expect(root.stderr).toMatch(/^error: unknown command 'plna'\n\(Did you mean plan\?\)\n/);
    const audit = await runCliInProcess(['audit', 'help', 'verfy'], { cwd: ROOT });
    expect(audit.code).toBe(1);
    expect(audit.stderr).toMatch(/^error: unknown command 'verfy'\n\(Did you mean verify\?\)\n/);
    // help of a subcommand by its path, as `audit verify --help` (commander read one topic: audit's help)
    const verify = await runCliInProcess(['help', 'audit', 'verify'], { cwd: ROOT });
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^Usage: promptctl audit verify /);
    expect((await runCliInProcess(['help', 'audit', 'verfy'], { cwd: ROOT })).stderr).toMatch(/^error: unknown command 'verfy'\n\(Did you mean verify\?\)\n/);
    // a known topic is still its help, and an option's value that reads "help" is no topic
    expect((await runCliInProcess(['help', 'plan'], { cwd: ROOT })).stdout).toMatch(/^Usage: promptctl plan /);
    expect((await runCliInProcess(['validate', '--dir', 'help', 'x'], { cwd: ROOT })).stderr).toMatch(/too many arguments for 'validate'/);
  });

  // apply --help named `.promptctl/audit.jsonl` as the trail whatever --env said, and audit's
  // verify "(default .promptctl/audit.jsonl)": after `apply --env prod`, that file does not exist.
  it('apply and audit verify name the trail an environment writes by default', async () => {
    // Help wraps its lines where it likes: read as one line.
    const flat = async (args: string[]) => (await help(args)).stdout.replace(/\s+/g, ' ');
    expect(await flat(['apply'])).toContain('by default .promptctl/audit.jsonl, or .promptctl/envs/NAME/audit.jsonl with --env NAME');
    for (const args of [['audit'], ['audit', 'verify']]) {
      // audit.file first: when set, it is every environment's trail (audit-help-shared-file.test.ts).
      expect(await flat(args), args.join(' ')).toContain("check the hash chain of the audit trail apply writes (audit.file of the --dir's promptctl.yaml when it names one, shared by every environment; else .promptctl/envs/NAME/audit.jsonl with --env NAME; else .promptctl/audit.jsonl)");
    }
  });

  // validate, tokens and audit verify contact no target (README, Which gateway), yet their --env
  // was "its org, documents, state and audit trail", as for plan and apply.
  it('--env says what it picks for each command', async () => {
    const envOf = async (args: string[]) => /--env <name>\s+(.*?)\(default\s+\$PROMPTCTL_ENV\)/.exec((await help(args)).stdout.replace(/\s+/g, ' '))?.[1];
    for (const name of ['validate', 'tokens']) expect(await envOf([name]), name).toBe('an environment of promptctl.yaml (dev, staging, prod…): its documents, checked as that environment holds them, without contacting its org ');
    expect(await envOf(['audit', 'verify'])).toBe("an environment of promptctl.yaml (dev, staging, prod…): its audit trail ");
    for (const name of ['promote', 'rollback']) expect(await envOf([name]), name).toBe("an environment of promptctl.yaml (dev, staging, prod…): its routes in the split ");
    for (const name of ['plan', 'apply', 'drift']) expect(await envOf([name]), name).toBe('an environment of promptctl.yaml (dev, staging, prod…): its org, documents, state and audit trail ');
  });

  // promote's and rollback's --dry-run and the root's --no-color were in --help alone: a reader of
  // the README could not learn that promote can show its diff without writing the file.
  it('every option --help lists is named in the README', async () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const options = new Set(optionsOf((await help([])).stdout));
    for (const name of commandsFor([])) for (const o of optionsOf((await help(name === 'audit' ? ['audit', 'verify'] : [name])).stdout)) options.add(o);
    const missing = [...options].filter((o) => o !== '--help' && o !== '--version' && !new RegExp(`${o}(?![\\w-])`).test(readme));
    expect(missing).toEqual([]);
  });

  it('the examples name what the example prompts/ defines', async () => {
    const config = readFileSync(path.join(EXAMPLE, 'promptctl.yaml'), 'utf8');
    const files = (p: string) => readFileSync(path.join(EXAMPLE, p), 'utf8');
    const versions = files('billing-assistant/v1.0.0.yaml') + files('billing-assistant/v1.1.0.yaml') + files('support-triage/versions.yaml');
    for (const name of commandsFor([])) {
      for (const args of examplesOf((await help([name])).stdout)) {
        const env = args[args.indexOf('--env') + 1];
        if (args.includes('--env')) expect(config, args.join(' ')).toMatch(new RegExp(`^\\s+${env}:`, 'm'));
        for (const a of args) {
          if (a.startsWith('billing-assistant')) expect(a).toMatch(/^billing-assistant(@1\.[01]\.0)?$/);
          const variable = /^--var$/.test(args[args.indexOf(a) - 1] ?? '') ? a.split('=')[0] : undefined;
          if (variable) expect(versions, a).toMatch(new RegExp(`name: ${variable}$`, 'm'));
        }
        if (args[0] === 'test' && args[1] && !args[1].startsWith('-')) expect(files('tests/billing-smoke.yaml')).toContain(`name: ${args[1]}`);
        // A routing key picks a version of a sticky split only: on a random one it routes nothing.
        if (args[0] === 'run' && args.includes('--routing-key')) expect(files(`${args[1]!.split('@')[0]}/traffic.yaml`), args.join(' ')).toMatch(/^\s+strategy: sticky$/m);
      }
    }
  });
});
