// A guide's instruction and a summary setting's prompt may be inline or {file:}, so the schema
// cannot bound them: the rules do, at the server's limit (the emulator's wire validation), so a
// document validate passes is never refused halfway through an apply.
import { describe, expect, it } from 'vitest';
import { checkGuides } from '../../../src/rules/guides.js';
import { checkSummarySettings } from '../../../src/rules/summaries.js';
import { validateAiStudio } from '../../../src/emulator/aistudio-validate.js';
import { at, guide, state, summary } from './build.js';

const serverTakes = (f: () => void): boolean => {
  try {
    f();
    return true;
  } catch {
    return false;
  }
};

describe('AI Studio text limits', () => {
  it('refuses an instruction longer than the server takes, where it is', () => {
    for (const [n, accepted] of [[100_000, true], [100_001, false]] as const) {
      const g = guide('Returns', { instruction: 'a'.repeat(n) });
      const ds = checkGuides(state({ guides: [g] }));
      expect({ n, validate: ds.length === 0, server: serverTakes(() => validateAiStudio('GuideVersionCreate', { instruction: g.instruction })) }).toEqual({ n, validate: accepted, server: accepted });
      if (!accepted) expect(ds).toEqual([expect.objectContaining({ ...at(g, 'spec.instruction'), rule: 'guides/instruction-too-long', severity: 'error' })]);
    }
  });

  it('refuses a summary prompt longer than the server takes, where it is', () => {
    for (const [n, accepted] of [[100_000, true], [100_001, false]] as const) {
      const s = summary('Voice', { prompt: 'a'.repeat(n) });
      const ds = checkSummarySettings(state({ summarySettings: [s] }));
      expect({ n, validate: ds.length === 0, server: serverTakes(() => validateAiStudio('SummarySetting', { name: 'Voice', language: 'en-US', prompt: s.prompt })) }).toEqual({ n, validate: accepted, server: accepted });
      if (!accepted) expect(ds).toEqual([expect.objectContaining({ ...at(s, 'spec.prompt'), rule: 'summaries/prompt-too-long', severity: 'error' })]);
    }
  });
});
