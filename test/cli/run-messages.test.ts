// What `promptctl run` says of a block, a --var of the wrong type and a routed call:
// - a block named its filter twice ("blocked by safety filter X: The request was blocked by safety
//   filter X: …"); now once, and still when the server's message does not name it;
// - `--var n=abc` said "variable n is a number", `--var b=yes` "variable b is true or false"; now
//   "must be …, got "abc"", and `--var n=0x10` (sent as 16 before) is refused: decimal only;
// - without @VERSION a --var was typed by the highest Published version that declares it, even
//   when the split routes the call to another that declares it otherwise (or to none of them);
//   now by the versions the call may be routed to, and refused, naming them, when they disagree;
// - a sticky split without --routing-key routed at random without a word; now a note says so.
import { afterEach, describe, expect, it } from 'vitest';
import { blockedMessage, declaredVariables } from '../../src/cli/run.js';
import type { WireTemplate } from '../../src/targets/llmgateway/wire.js';
import { evalsProject, PHISHING, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

describe('a block by a safety filter', () => {
  it('names the filter once', async () => {
    p = await evalsProject();
    const r = await p.cli(['run', 'faq-bot@1.0.0', '--var', `question=${PHISHING}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: blocked by safety filter faq-phishing-block: phishing scored [\d.]+ on the input, at or above its threshold 0\.5$/m);
    expect(r.stderr.match(/faq-phishing-block/g)).toHaveLength(1);
  });

  it('with --format json, is a document on stdout too (it wrote nothing there)', async () => {
    p = await evalsProject();
    const r = await p.cli(['run', 'faq-bot@1.0.0', '--var', `question=${PHISHING}`, '--format', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { error: string; diagnostics: unknown[] };
    expect(doc.error).toMatch(/^blocked by safety filter faq-phishing-block: phishing scored [\d.]+ on the input, at or above its threshold 0\.5$/);
    expect(doc.diagnostics).toEqual([]);
  });

  it('names it when the server message does not, and says a message that names it otherwise as it is', () => {
    expect(blockedMessage('x-block', 'The request was blocked by safety filter x-block: pii scored 0.9')).toBe('blocked by safety filter x-block: pii scored 0.9');
    expect(blockedMessage('x-block', 'The response was blocked by safety filter "x-block".')).toBe('blocked by safety filter x-block');
    expect(blockedMessage('x-block', 'Content policy violation')).toBe('blocked by safety filter x-block: Content policy violation');
    expect(blockedMessage('x-block', 'Filter x-block refused the input')).toBe('blocked: Filter x-block refused the input');
    expect(blockedMessage(undefined, 'Content policy violation')).toBe('blocked: Content policy violation');
  });
});

/** faq-bot with versions that declare `n` and `flag` as given, Published, and a split over them. */
async function typedProject(decl: Record<string, Array<{ name: string; type: 'string' | 'number' | 'boolean' }>>, routes: Array<{ version: string; weight: number }>, strategy: 'random' | 'sticky' = 'random') {
  const project = await evalsProject();
  const api = project.emu.api;
  const t = await api.createTemplate({ name: 'typed-bot', model: 'gpt-4o-mini' });
  for (const [version, vars] of Object.entries(decl)) {
    const used = vars.map((v) => `{{${v.name}}}`).join(' ');
    await api.createVersion(t.id, { version, systemInstruction: 'Answer.', userTemplate: `Q: ${used}`, variables: vars.map((v) => ({ ...v, ...(v.type === 'string' ? { maxLength: 50 } : {}) })) });
    await api.publishVersion(t.id, version);
  }
  if (routes.length) await api.putTraffic(t.id, { strategy, ...(strategy === 'sticky' ? { stickyKey: 'conversationId' } : {}), routes, version: 0 });
  return project;
}

describe('--var typing', () => {
  it('a number must be written in decimal, a boolean as true or false: said as "must be …, got …"', async () => {
    p = await typedProject({ '1.0.0': [{ name: 'n', type: 'number' }, { name: 'flag', type: 'boolean' }] }, []);
    const cases: Array<[string[], string]> = [
      [['--var', 'n=abc', '--var', 'flag=true'], 'error: --var n must be a number written in decimal (such as 42, -1.5 or 2e3), got "abc"'],
      [['--var', 'n=0x10', '--var', 'flag=true'], 'error: --var n must be a number written in decimal (such as 42, -1.5 or 2e3), got "0x10"'],
      [['--var', 'n=Infinity', '--var', 'flag=true'], 'error: --var n must be a number written in decimal (such as 42, -1.5 or 2e3), got "Infinity"'],
      [['--var', 'n=1', '--var', 'flag=yes'], 'error: --var flag must be true or false, got "yes"'],
    ];
    for (const [args, message] of cases) {
      const r = await p.cli(['run', 'typed-bot@1.0.0', ...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.split('\n'), args.join(' ')).toContain(message);
    }
    const before = await p.invocations();
    expect(before).toBe(0);
    const ok = await p.cli(['run', 'typed-bot@1.0.0', '--var', 'n=-1.5e2', '--var', 'flag=TRUE', '--format', 'json']);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('by the versions the split routes to, not the highest Published one', async () => {
    // 2.0.0 declares n as a string but takes no traffic: the split routes every call to 1.0.0.
    p = await typedProject({ '1.0.0': [{ name: 'n', type: 'number' }], '2.0.0': [{ name: 'n', type: 'string' }] }, [{ version: '1.0.0', weight: 100 }, { version: '2.0.0', weight: 0 }]);
    const r = await p.cli(['run', 'typed-bot', '--var', 'n=42', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).version).toBe('1.0.0');
  });

  it('refused, naming the versions, when those the call may be routed to declare it with different types', async () => {
    p = await typedProject({ '1.0.0': [{ name: 'n', type: 'number' }], '2.0.0': [{ name: 'n', type: 'string' }] }, [{ version: '1.0.0', weight: 50 }, { version: '2.0.0', weight: 50 }]);
    const r = await p.cli(['run', 'typed-bot', '--var', 'n=42']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: --var n: the versions this call may be routed to declare it differently \(a number in 1\.0\.0, a string in 2\.0\.0\), so its value cannot be typed for the version that answers; run one of them: typed-bot@1\.0\.0 or typed-bot@2\.0\.0$/m,
    );
    expect(await p.invocations()).toBe(0);
    // Pinned, each is typed as it declares it.
    expect((await p.cli(['run', 'typed-bot@2.0.0', '--var', 'n=42'])).code).toBe(0);
  });

  it('refused before any call when a version the call may be routed to does not declare it (whether it fails hung on the draw)', async () => {
    p = await typedProject({ '1.0.0': [{ name: 'n', type: 'number' }], '1.1.0': [{ name: 'n', type: 'number' }, { name: 'extra', type: 'string' }] }, [{ version: '1.0.0', weight: 80 }, { version: '1.1.0', weight: 20 }]);
    const r = await p.cli(['run', 'typed-bot', '--var', 'n=1', '--var', 'extra=x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: --var extra: version 1\.0\.0, which this call may be routed to, does not declare it \(1\.1\.0 does\), so whether the call is refused would depend on the version it lands on; run one that does: typed-bot@1\.1\.0, or leave it out$/m,
    );
    const none = await p.cli(['run', 'typed-bot', '--var', 'n=1', '--var', 'nope=x']);
    expect(none.stderr).toMatch(/^error: --var nope: none of the versions this call may be routed to \(1\.0\.0, 1\.1\.0\) declares it \(declared: n, extra\); leave it out$/m);
    // A typo is answered with the name it is closest to.
    const typo = await p.cli(['run', 'typed-bot', '--var', 'n=1', '--var', 'extrra=x']);
    expect(typo.stderr).toMatch(/^error: --var extrra: none of the versions this call may be routed to \(1\.0\.0, 1\.1\.0\) declares it \(did you mean "extra"\?\)$/m);
    expect(await p.invocations()).toBe(0);
    expect((await p.cli(['run', 'typed-bot@1.1.0', '--var', 'n=1', '--var', 'extra=x'])).code).toBe(0);
  });

  // From review: `run billing-assistant --var plan=gold` suggested billing-assistant@1.1.0, whose
  // run was then refused (plan must be one of basic, plus, business): a suggestion is a command to copy.
  it('suggests only a version that would take every value given; when none would, says what each refuses', async () => {
    p = await typedProject(
      { '1.0.0': [{ name: 'n', type: 'number' }], '1.1.0': [{ name: 'n', type: 'number' }, { name: 'extra', type: 'string' }], '1.2.0': [{ name: 'n', type: 'number' }, { name: 'extra', type: 'number' }] },
      [{ version: '1.0.0', weight: 60 }, { version: '1.1.0', weight: 20 }, { version: '1.2.0', weight: 20 }],
    );
    // 1.2.0 declares extra as a number: "x" is no number, so only 1.1.0 is named, and its run goes.
    const one = await p.cli(['run', 'typed-bot', '--var', 'n=1', '--var', 'extra=x']);
    expect(one.stderr).toMatch(
      /^error: --var extra: version 1\.0\.0, which this call may be routed to, does not declare it \(1\.1\.0, 1\.2\.0 do\), so whether the call is refused would depend on the version it lands on; run one that does: typed-bot@1\.1\.0, or leave it out$/m,
    );
    expect((await p.cli(['run', 'typed-bot@1.1.0', '--var', 'n=1', '--var', 'extra=x'])).code).toBe(0);
    // Past 1.1.0's maxLength (50) and no number: neither would take it, and each says why.
    const long = 'y'.repeat(51);
    const none = await p.cli(['run', 'typed-bot', '--var', 'n=1', '--var', `extra=${long}`]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(
      /^error: --var extra: .* depend on the version it lands on; each of them would refuse the values given too \(1\.1\.0: variable extra is 51 characters long, more than its maxLength 50; 1\.2\.0: variable extra must be a number written in decimal \(such as 42, -1\.5 or 2e3\), got "y+"\): give values one of them takes with typed-bot@1\.1\.0 or typed-bot@1\.2\.0, or leave it out$/m,
    );
    expect(none.stderr).not.toContain('run one that does');
    expect(await p.invocations()).toBe(1);
  });

  it('without a split, by the newest Published version, which the gateway runs', () => {
    const t = {
      name: 'typed-bot',
      traffic: null,
      versions: [
        { version: '1.0.0', state: 'Published', variables: [{ name: 'n', type: 'string' }] },
        { version: '1.1.0', state: 'Published', variables: [{ name: 'n', type: 'number' }] },
        { version: '2.0.0', state: 'Draft', variables: [{ name: 'n', type: 'boolean' }] },
      ],
    } as unknown as WireTemplate;
    expect(declaredVariables(t, undefined, new Map([['n', '1']])).get('n')?.type).toBe('number');
  });
});

describe('a sticky split without --routing-key', () => {
  it('says on stderr that the call is routed at random; not with a key', async () => {
    p = await typedProject({ '1.0.0': [{ name: 'n', type: 'number' }], '1.1.0': [{ name: 'n', type: 'number' }] }, [{ version: '1.0.0', weight: 90 }, { version: '1.1.0', weight: 10 }], 'sticky');
    const r = await p.cli(['run', 'typed-bot', '--var', 'n=1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'note: the split of typed-bot is sticky (on conversationId), but no --routing-key was given, so this call goes to a version drawn at random (1.0.0 90%, 1.1.0 10%); give --routing-key KEY (a conversationId) to get the version that key always gets\n',
    );
    const keyed = await p.cli(['run', 'typed-bot', '--var', 'n=1', '--routing-key', 'conv-42']);
    expect(keyed.code, keyed.stderr).toBe(0);
    expect(keyed.stderr).not.toContain('note:');
    const pinned = await p.cli(['run', 'typed-bot@1.1.0', '--var', 'n=1']);
    expect(pinned.stderr).not.toContain('note:');
  });
});

describe('--routing-key where no sticky split routes the call', () => {
  it('says the key routes nothing on a random split, and still makes the call', async () => {
    p = await typedProject({ '1.0.0': [{ name: 'n', type: 'number' }], '1.1.0': [{ name: 'n', type: 'number' }] }, [{ version: '1.0.0', weight: 90 }, { version: '1.1.0', weight: 10 }]);
    const r = await p.cli(['run', 'typed-bot', '--var', 'n=1', '--routing-key', 'conv-42']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'note: --routing-key picks a version of a sticky split; the split of typed-bot is random (1.0.0 90%, 1.1.0 10%), so the key routes nothing: this call goes to a version drawn at random\n',
    );
  });

  it('says the key routes nothing on a template without a split', async () => {
    p = await typedProject({ '1.0.0': [{ name: 'n', type: 'number' }], '1.1.0': [{ name: 'n', type: 'number' }] }, []);
    const r = await p.cli(['run', 'typed-bot', '--var', 'n=1', '--routing-key', 'conv-42']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('note: --routing-key picks a version of a sticky split; typed-bot has no traffic split (its newest published version answers every call), so the key routes nothing\n');
  });
});
