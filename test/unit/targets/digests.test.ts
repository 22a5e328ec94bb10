// Templates listed in the digest view made whole: git's content where the server's content hash
// says it is the same, the server's own where it sent it, and a read for every other template
// (or every template whole again when that takes fewer requests).
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/genesys/errors.js';
import { ANSWER_SHAPES } from '../../../src/targets/answer-shapes.js';
import { readLiveParts } from '../../../src/targets/live.js';
import type { GatewayApi } from '../../../src/targets/llmgateway/api.js';
import { fromDigests, readAllAgain, type GitVersionContent } from '../../../src/targets/llmgateway/digests.js';
import { versionContentHash, type VersionContent, type WireTemplateDigest, type WireVersionDigest } from '../../../src/targets/llmgateway/wire.js';

const content = (userTemplate: string): VersionContent => ({
  systemInstruction: 'Be brief.',
  userTemplate,
  variables: [{ name: 'q', type: 'string', required: true }],
  safetyGuardrails: { piiFilter: true },
});

const digestOf = (label: string, c: VersionContent, state: 'Draft' | 'Published' = 'Published'): WireVersionDigest => ({
  id: `id-${label}`,
  templateId: 't1',
  version: label,
  state,
  contentHash: versionContentHash(c),
  dateModified: '2026-12-01T00:00:00.000Z',
  modifiedBy: { id: 'someone' },
});

const template = (name: string, versions: WireVersionDigest[], labels: Record<string, string> = {}): WireTemplateDigest => ({ id: `id-${name}`, name, model: 'gpt-4o', labels, version: 1, versions, traffic: null });

const git = (entries: Record<string, Record<string, VersionContent>>): GitVersionContent =>
  new Map(Object.entries(entries).map(([name, labels]) => [name, new Map(Object.entries(labels))]));

describe('fromDigests', () => {
  it("gives a version git's content when the hashes agree, with the listing's own fields", () => {
    const c = content('Q: {{q}}');
    // Git's wire body carries its label too; the whole version takes the content alone.
    const { templates, unread } = fromDigests([template('a', [digestOf('1.0.0', c)])], git({ a: { '1.0.0': { ...c, version: '1.0.0' } as VersionContent } }));
    expect(unread).toEqual([]);
    expect(templates[0]!.versions).toEqual([{ ...digestOf('1.0.0', c), ...c }]);
  });

  it('leaves a template unread when any version differs from git or git does not hold it', () => {
    const c = content('Q: {{q}}');
    const digests = [
      template('same', [digestOf('1.0.0', c)]),
      template('edited', [digestOf('1.0.0', c), digestOf('1.1.0', content('By hand: {{q}}'), 'Draft')]),
      template('extra', [digestOf('1.0.0', c), digestOf('9.0.0', c)]),
      template('not-in-git', [digestOf('1.0.0', c)]),
      template('no-versions', []),
    ];
    const known = git({ same: { '1.0.0': c }, edited: { '1.0.0': c, '1.1.0': content('In git: {{q}}') }, extra: { '1.0.0': c }, 'no-versions': {} });
    const { templates, unread } = fromDigests(digests, known);
    expect(templates.map((t) => t.name)).toEqual(['same', 'edited', 'extra', 'not-in-git', 'no-versions']);
    expect(unread).toEqual([1, 2, 3]);
    // An unread template holds no half-made version list.
    for (const i of unread) expect(templates[i]!.versions).toEqual([]);
    expect(templates[4]!.versions).toEqual([]);
  });

  it('leaves read a template git holds no version of that is not promptctl\'s: a plan leaves its versions alone by their labels', () => {
    const c = content('Q: {{q}}');
    const { templates, unread } = fromDigests([template('by-hand', [digestOf('1.0.0', c)], {}), template('other-tool', [digestOf('1.0.0', c)], { 'managed-by': 'terraform' }), template('mine', [digestOf('1.0.0', c)], { 'managed-by': 'promptctl' })], git({}), (t) => t.labels['managed-by'] !== 'promptctl');
    expect(unread).toEqual([2]);
    expect(templates.slice(0, 2).map((t) => t.versions?.map((v) => v.version))).toEqual([['1.0.0'], ['1.0.0']]);
  });

  it("keeps a version the server sent whole (a server that does not know the view), whatever git holds", () => {
    const served = { ...digestOf('1.0.0', content('Q: {{q}}')), ...content('Served: {{q}}') };
    const { templates, unread } = fromDigests([template('a', [served])], git({}));
    expect(unread).toEqual([]);
    expect(templates[0]!.versions![0]!.userTemplate).toBe('Served: {{q}}');
  });
});

describe('the digest listing\'s answer shape', () => {
  it('takes a whole version without a contentHash (a server that does not know the view; LiveVersion leaves the hash optional), not a version with neither', () => {
    const { contentHash: _, ...whole } = { ...digestOf('1.0.0', content('Q: {{q}}')), ...content('Q: {{q}}') };
    expect(ANSWER_SHAPES.templateDigest.problem(template('a', [whole as WireVersionDigest]))).toBeUndefined();
    const { contentHash: __, ...bare } = digestOf('1.0.0', content('Q: {{q}}'));
    expect(ANSWER_SHAPES.templateDigest.problem(template('a', [bare as WireVersionDigest]))).toContain('versions[0].contentHash');
    // Made whole as the server sent it; with no hash and git's content at hand, nothing is taken from git.
    const c = content('Q: {{q}}');
    expect(fromDigests([template('a', [whole as WireVersionDigest])], git({ a: { '1.0.0': c } })).unread).toEqual([]);
    expect(fromDigests([template('a', [bare as WireVersionDigest])], git({ a: { '1.0.0': c } })).unread).toEqual([0]);
  });
});

describe('readAllAgain', () => {
  it('reads every template whole again once that costs fewer requests than one read a template', () => {
    // 250 templates: three pages of 100.
    expect(readAllAgain(3, 250)).toBe(false);
    expect(readAllAgain(4, 250)).toBe(true);
    expect(readAllAgain(1, 5)).toBe(false);
    expect(readAllAgain(2, 5)).toBe(true);
  });
});

describe('readLiveParts in the digest view', () => {
  /** A gateway that answers the digest listing, and each template read again with the versions `versions` says. */
  const gateway = (digests: WireTemplateDigest[], versions: (templateId: string) => Promise<unknown[]>, calls: string[]) =>
    ({
      listTemplateDigests: async () => (calls.push('digests'), digests),
      listTemplates: async () => (calls.push('whole'), []),
      listFilters: async () => [],
      // The template read again whole: its own fields and split as read now, with its versions.
      getTemplate: async (id: string, opts?: { expand?: string[] }) => {
        calls.push(`template ${id} ${opts?.expand?.join(',')}`);
        const listed = digests.find((d) => d.id === id)!;
        return { ...listed, versions: await versions(id), traffic: null };
      },
    }) as unknown as GatewayApi;

  it('reads again each template that holds another version, and leaves out one deleted meanwhile (a 404 there is no missing surface)', async () => {
    const c = content('Q: {{q}}');
    const hand = { ...digestOf('9.0.0', c), ...content('By hand: {{q}}') };
    const digests = [
      { ...template('same', [digestOf('1.0.0', c)]), id: 't-same' },
      { ...template('edited', [digestOf('1.0.0', c), digestOf('9.0.0', c)]), id: 't-edited' },
      { ...template('gone', [digestOf('9.0.0', c)]), id: 't-gone' },
      // 150 templates: two pages, so reading two templates again costs no more than listing them all.
      ...Array.from({ length: 147 }, (_, i) => ({ ...template(`other-${i}`, []), id: `t-${i}` })),
    ];
    const calls: string[] = [];
    const api = gateway(
      digests,
      async (id) => {
        if (id === 't-gone') throw new ApiError('not found', 404, 'not.found', undefined, 'GET', `/versions/${id}`);
        return [digestOf('1.0.0', c), hand].map((v) => ({ ...v, ...c, ...(v === hand ? { userTemplate: hand.userTemplate } : {}) }));
      },
      calls,
    );
    const { live, failed } = await readLiveParts({ gateway: api }, { guides: false, summarysettings: false }, { gitVersions: async () => git({ same: { '1.0.0': c }, edited: { '1.0.0': c }, gone: {} }) });
    expect(failed).toEqual([]);
    expect(live.unavailable).toBeUndefined();
    expect(live.templates.map((t) => t.name).slice(0, 3)).toEqual(['same', 'edited', 'other-0']);
    expect(live.templates).toHaveLength(149);
    expect(live.templates[1]!.versions!.map((v) => [v.version, v.userTemplate])).toEqual([
      ['1.0.0', 'Q: {{q}}'],
      ['9.0.0', 'By hand: {{q}}'],
    ]);
    expect(calls.sort()).toEqual(['digests', 'template t-edited versions,traffic', 'template t-gone versions,traffic']);
  });

  it('lists every template whole again when that takes fewer requests than reading each one', async () => {
    const c = content('Q: {{q}}');
    const calls: string[] = [];
    const api = gateway([template('a', [digestOf('9.0.0', c)]), template('b', [digestOf('9.0.0', c)])], async () => [], calls);
    await readLiveParts({ gateway: api }, { guides: false, summarysettings: false }, { gitVersions: async () => git({}) });
    expect(calls).toEqual(['digests', 'whole']);
  });
});
