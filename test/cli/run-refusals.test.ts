// `promptctl run` refuses what the gateway would only refuse after the call was sent, in its own
// words: a pinned version that exists but is a Draft (before: the raw "409 version.not.published"
// of the call), a template none of whose versions is published (before: "409 no.published.version"),
// an empty --routing-key (before: the server's "400 invalid.value: routingKey
// must NOT have fewer than 1 characters"), and a version label validate refuses, such as 01.0.0
// (before: accepted, and sent). Either way exit 1, and no call is made.
import { afterEach, describe, expect, it } from 'vitest';
import { typedValue } from '../../src/cli/run.js';
import { evalsProject, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

describe('promptctl run refuses before calling', () => {
  it('a pinned version that is a Draft on the target', async () => {
    p = await evalsProject();
    const t = (await p.emu.api.listTemplates({ name: 'faq-bot' }))[0]!;
    await p.emu.api.createVersion(t.id, { version: '1.2.0', systemInstruction: 'Draft.', userTemplate: 'Question: {{question}}', variables: [{ name: 'question', type: 'string', maxLength: 500 }] });
    const r = await p.cli(['run', 'faq-bot@1.2.0', '--var', 'question=hi']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error: version 1\.2\.0 of template "faq-bot" is a Draft on the target: only a published version can be run \(published: 1\.0\.0, 1\.1\.0\)$/m);
    // A status as a word: the target line holds a random port, which may hold the digits 409.
    expect(r.stderr).not.toMatch(/\b409\b|version\.not\.published|\n\s+at /);
    expect(await p.invocations()).toBe(0);
  });

  // Sent, the gateway refused it with "409 no.published.version", counted as the template's error.
  it('a template with no published version on the target (only Drafts), called without a version', async () => {
    p = await evalsProject();
    const t = await p.emu.api.createTemplate({ name: 'draft-bot', model: 'gpt-4o-mini' });
    await p.emu.api.createVersion(t.id, { version: '1.0.0', systemInstruction: 'Draft.', userTemplate: 'Question: {{question}}', variables: [{ name: 'question', type: 'string' }] });
    const before = await p.invocations();
    const r = await p.cli(['run', 'draft-bot', '--var', 'question=hi']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error: template "draft-bot" has no published version on the target \(Draft: 1\.0\.0\), so no version can answer a call; apply it first \(nothing was sent\)$/m);
    expect(r.stderr).not.toMatch(/\b409\b|no\.published\.version|\n\s+at /);
    expect(await p.invocations()).toBe(before);
  });

  // A routing key beside a pinned version did nothing, without a word.
  it('says a --routing-key routes nothing when the call names its version (and makes the call)', async () => {
    p = await evalsProject();
    const r = await p.cli(['run', 'faq-bot@1.0.0', '--var', 'question=hi', '--routing-key', 'cust-1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('note: --routing-key picks a version of a sticky split; this call names version 1.0.0, so the key routes nothing');
    expect(await p.invocations()).toBe(1);
  });

  it('a whole number too large to send exactly, for a number variable', () => {
    expect(() => typedValue('count', '12345678901234567890', { name: 'count', type: 'number' } as never)).toThrow(
      /^--var count is "12345678901234567890", a whole number too large to send exactly as a JSON number \(at most 9007199254740991\); declare the variable as a string/,
    );
    for (const written of ['9007199254740993.0', '12345678901234567891e0', '1e300']) {
      expect(() => typedValue('count', written, { name: 'count', type: 'number' } as never)).toThrow(/a whole number too large to send exactly/);
    }
    expect(typedValue('count', '9007199254740991', { name: 'count', type: 'number' } as never)).toBe(9007199254740991);
    expect(typedValue('ratio', '1.25e3', { name: 'ratio', type: 'number' } as never)).toBe(1250);
  });

  // The gateway refused these only once the call was sent, and counted each as the version's error
  // (status then advised a rollback for a user's typo).
  it('values a version the call may land on would refuse: a required variable left out, one past its maxLength, a value not among an enum\'s', async () => {
    p = await evalsProject();
    const before = await p.invocations();
    const missing = await p.cli(['run', 'faq-bot']);
    expect(missing.code, missing.stderr).toBe(1);
    expect(missing.stderr).toMatch(/^error: template "faq-bot": versions 1\.0\.0, 1\.1\.0, which this call may be routed to, would refuse it: variable question is required \(give it with --var question=VALUE; nothing was sent\)$/m);
    const long = await p.cli(['run', 'faq-bot@1.1.0', '--var', `question=${'x'.repeat(501)}`]);
    expect(long.code, long.stderr).toBe(1);
    expect(long.stderr).toMatch(/^error: template "faq-bot": version 1\.1\.0 would refuse it: variable question is 501 characters long, more than its maxLength 500 \(nothing was sent\)$/m);
    const t = (await p.emu.api.listTemplates({ name: 'faq-bot' }))[0]!;
    await p.emu.api.createVersion(t.id, { version: '1.2.0', systemInstruction: 'S.', userTemplate: '{{question}} on {{plan}}', variables: [{ name: 'question', type: 'string' }, { name: 'plan', type: 'enum', values: ['basic', 'pro'] }] });
    await p.emu.api.publishVersion(t.id, '1.2.0');
    const gold = await p.cli(['run', 'faq-bot@1.2.0', '--var', 'question=hi', '--var', 'plan=gold']);
    expect(gold.code, gold.stderr).toBe(1);
    expect(gold.stderr).toMatch(/^error: template "faq-bot": version 1\.2\.0 would refuse it: variable plan must be one of basic, pro, got "gold" \(nothing was sent\)$/m);
    // One left out beside another at fault: the flag names the one to give.
    const both = await p.cli(['run', 'faq-bot@1.2.0', '--var', 'plan=gold']);
    expect(both.stderr).toMatch(/^error: template "faq-bot": version 1\.2\.0 would refuse it: variable question is required; variable plan must be one of basic, pro, got "gold" \(give it with --var question=VALUE; nothing was sent\)$/m);
    expect(await p.invocations()).toBe(before);
    // What every version accepts is sent.
    const ok = await p.cli(['run', 'faq-bot@1.2.0', '--var', 'question=hi', '--var', 'plan=pro']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(await p.invocations()).toBe(before + 1);
  });

  it('an empty --routing-key', async () => {
    p = await evalsProject();
    const r = await p.cli(['run', 'faq-bot', '--var', 'question=hi', '--routing-key', '']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error: --routing-key is empty: give the key a sticky split hashes \(a customer or conversation id\)$/m);
    expect(r.stderr).not.toMatch(/\b400\b|invalid\.value/);
    expect(await p.invocations()).toBe(0);
  });

  for (const [label, meant] of [['01.0.0', '1.0.0'], ['1.0.0-rc.01', '1.0.0-rc.1']] as const) {
    it(`a version label with a leading zero (${label}), as validate refuses it`, async () => {
      p = await evalsProject();
      const before = p.emu.emulator.stats().requests;
      const r = await p.cli(['run', `faq-bot@${label}`, '--var', 'question=hi']);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`error: version "${label}" is not a semantic version MAJOR.MINOR.PATCH[-prerelease] (did you mean "${meant}"?); give TEMPLATE or TEMPLATE@VERSION\n`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(p.emu.emulator.stats().requests).toBe(before);
    });
  }
});
