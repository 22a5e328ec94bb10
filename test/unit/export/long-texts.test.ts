// Which version texts export writes to files of their own (export/documents.ts TEXT_LIMITS, lowered
// here through FileNaming.textLimits): a long one, the largest while the rest passes the inline
// budget, never one holding half a surrogate pair (no UTF-8 file can), versions whose labels differ
// in letter case alone in files that stay apart on macOS and Windows, and one past what promptctl
// reads from a file named as one git cannot hold.
import { describe, expect, it } from 'vitest';
import { exportDocuments, type TextLimits } from '../../../src/export/documents.js';
import type { LiveState } from '../../../src/kinds/kind.js';

type WireTemplate = LiveState['templates'][number];
type WireVersion = NonNullable<WireTemplate['versions']>[number];

const stamp = { dateCreated: '2025-06-01T10:00:00.000Z', dateModified: '2025-06-01T10:00:00.000Z', createdBy: { id: 'u1' }, modifiedBy: { id: 'u1' }, selfUri: '' };

const version = (label: string, systemInstruction: string, userTemplate = 'Hi'): WireVersion =>
  ({ id: `v-${label}`, name: label, templateId: 't1', version: label, state: 'Published', systemInstruction, userTemplate, variables: [], fewShotExamples: [], contentHash: '', ...stamp }) as unknown as WireVersion;

const live = (name: string, versions: WireVersion[]): LiveState =>
  ({ templates: [{ id: 't1', name, model: 'gpt-4o', labels: {}, version: 1, ...stamp, versions }], filters: [] }) as unknown as LiveState;

const run = (state: LiveState, textLimits: TextLimits) => exportDocuments(state, { mask: (n) => n, secrets: [], textLimits });

const specs = (r: ReturnType<typeof exportDocuments>) => r.files[0]!.documents.slice(1).map((d) => d.spec as Record<string, unknown>);

describe('version texts in files of their own', () => {
  it('writes a text above the long limit, and the largest others while the rest passes the inline budget', () => {
    const r = run(live('kbase', [version('1.0.0', 'a'.repeat(30)), version('1.1.0', 'b'.repeat(11)), version('1.2.0', 'c'.repeat(20), 'd'.repeat(9))]), { long: 25, inline: 25, readable: 1000 });
    expect(r.texts.map((t) => t.path)).toEqual(['kbase/1.0.0.system.md', 'kbase/1.2.0.system.md']);
    expect(specs(r).map((s) => [s.systemInstruction, s.userTemplate])).toEqual([
      [{ file: 'kbase/1.0.0.system.md' }, 'Hi'],
      ['b'.repeat(11), 'Hi'],
      [{ file: 'kbase/1.2.0.system.md' }, 'd'.repeat(9)],
    ]);
    expect(r.texts[0]!.text).toBe('a'.repeat(30));
    expect(r.warnings).toEqual([]);
  });

  it('keeps a text with half a surrogate pair inline, and a template named guides out of the guides folder', () => {
    const r = run(live('guides', [version('1.0.0', `${'a'.repeat(30)}\ud83d`), version('1.1.0', 'b'.repeat(30))]), { long: 25, inline: 1000, readable: 1000 });
    expect(r.texts.map((t) => t.path)).toEqual(['guides.texts/1.1.0.system.md']);
  });

  it('names apart labels that differ in letter case alone, and warns of a text past what promptctl reads', () => {
    const r = run(live('kbase', [version('1.0.0-RC', 'a'.repeat(30)), version('1.0.0-rc', 'b'.repeat(30))]), { long: 25, inline: 1000, readable: 29 });
    expect(r.texts.map((t) => t.path)).toEqual(['kbase/1.0.0-RC.system.md', 'kbase/1.0.0-rc.system-2.md']);
    expect(r.warnings[0]).toMatch(/^kbase\/1\.0\.0-RC\.system\.md: PromptVersion\/kbase@1\.0\.0-RC's systemInstruction is 30 bytes, more than .* promptctl reads from a file: git cannot hold it/);
  });
});
