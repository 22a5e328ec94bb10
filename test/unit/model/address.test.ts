import { describe, expect, it } from 'vitest';
import {
  AISTUDIO_KINDS,
  ALL_RESOURCE_KINDS,
  DOCUMENT_KINDS,
  RESOURCE_KINDS,
  formatAddress,
  guideAddress,
  parseAddress,
  summarySettingAddress,
  testAddress,
  type Address,
} from '../../../src/model/address.js';

describe('kinds', () => {
  it('one list each: gateway resources, AI Studio resources, every resource, every document', () => {
    expect(RESOURCE_KINDS).toEqual(['PromptTemplate', 'PromptVersion', 'TrafficSplit', 'SafetyFilter']);
    expect(AISTUDIO_KINDS).toEqual(['Guide', 'SummarySetting']);
    expect(ALL_RESOURCE_KINDS).toEqual([...RESOURCE_KINDS, ...AISTUDIO_KINDS]);
    expect(DOCUMENT_KINDS).toEqual([...ALL_RESOURCE_KINDS, 'PromptTest', 'Config']);
  });
});

describe('addresses', () => {
  const cases: [Address, string][] = [
    [{ kind: 'PromptTemplate', name: 'billing-assistant' }, 'PromptTemplate/billing-assistant'],
    [{ kind: 'PromptVersion', name: 'billing-assistant', version: '1.1.0-rc.1' }, 'PromptVersion/billing-assistant@1.1.0-rc.1'],
    [{ kind: 'Guide', name: 'Returns / exchanges (EU)' }, 'Guide/Returns / exchanges (EU)'],
    [{ kind: 'SummarySetting', name: 'Voice wrap-up @ night' }, 'SummarySetting/Voice wrap-up @ night'],
    [{ kind: 'PromptTest', name: 'billing-smoke' }, 'PromptTest/billing-smoke'],
  ];

  it('round-trips every kind; free-text names keep their spaces, slashes and @', () => {
    for (const [a, text] of cases) {
      expect(formatAddress(a)).toBe(text);
      expect(parseAddress(text)).toEqual(a);
    }
    expect(guideAddress('a/b')).toBe('Guide/a/b');
    expect(summarySettingAddress('x')).toBe('SummarySetting/x');
    expect(testAddress('t')).toBe('PromptTest/t');
  });

  it('reads nothing that is not an address', () => {
    for (const text of ['', 'Guide', 'Guide/', '/x', 'Config/x', 'Unknown/x', 'PromptVersion/t', 'PromptVersion/t@', 'PromptVersion/@1.0.0']) {
      expect(parseAddress(text), text).toBeUndefined();
    }
  });
});
