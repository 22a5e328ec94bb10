// What promptctl last applied to each address, as the trail's landed outcome records say
// (audit/last-applied.ts): plan and drift tell an apply of another commit from a hand change by it.
import { describe, expect, it } from 'vitest';
import { lastAppliedEach } from '../../../src/audit/last-applied.js';

const record = (address: string, outcome: string, hash: string | null, commit: string | null, type = 'outcome', dirty = false) =>
  JSON.stringify({ format: 2, type, outcome, address, commit, org: { id: 'org-1', host: 'h' }, ...(dirty ? { dirty: true } : {}), after: hash === null ? null : { hash } });

describe('lastAppliedEach', () => {
  it("takes each address's last landed outcome, skipping failures, intents, other addresses and torn lines", () => {
    const text = [
      record('TrafficSplit/a', 'success', 'h1', 'c1'),
      record('TrafficSplit/a', 'succeeded (recovered)', 'h2', 'c2'),
      record('TrafficSplit/a', 'failure', 'h3', 'c3'),
      record('TrafficSplit/a', 'success', 'h4', 'c4', 'intent'),
      record('TrafficSplit/b', 'success', 'hb', 'cb'),
      record('PromptVersion/a@1.0.0', 'success', null, null),
      '{"type":"outcome","outcome":"success","address":"TrafficSplit/a"',
      '',
    ].join('\n');
    const out = lastAppliedEach(text, new Set(['TrafficSplit/a', 'PromptVersion/a@1.0.0', 'TrafficSplit/c']));
    expect(out).toEqual(
      new Map([
        ['TrafficSplit/a', { hash: 'h2', commit: 'c2', org: 'org-1', dirty: false }],
        ['PromptVersion/a@1.0.0', { hash: null, commit: null, org: 'org-1', dirty: false }],
      ]),
    );
  });

  it('finds an address JSON escapes', () => {
    const address = 'PromptTemplate/say "hi"';
    expect(lastAppliedEach(record(address, 'success', 'h', 'c'), new Set([address])).get(address)).toEqual({ hash: 'h', commit: 'c', org: 'org-1', dirty: false });
  });

  it('says which apply ran from uncommitted changes (its record dirty): what it left, no commit holds', () => {
    const text = [record('TrafficSplit/a', 'success', 'h1', 'c1', 'outcome', true), record('TrafficSplit/b', 'success', 'h2', 'c1', 'outcome', true), record('TrafficSplit/b', 'success', 'h3', 'c2')].join('\n');
    const out = lastAppliedEach(text, new Set(['TrafficSplit/a', 'TrafficSplit/b']));
    expect(out.get('TrafficSplit/a')).toEqual({ hash: 'h1', commit: 'c1', org: 'org-1', dirty: true });
    // A later clean apply is the last word.
    expect(out.get('TrafficSplit/b')).toEqual({ hash: 'h3', commit: 'c2', org: 'org-1', dirty: false });
  });
});
