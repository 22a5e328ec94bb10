// Templates listed in promptctl's digest view (wire.ts DIGEST_VIEW) made whole again. A version
// whose contentHash is the hash of the content git holds for it takes git's content: both sides
// hash the same canonical form (versionContentHash), so a no-change plan of a large org reads no
// prompt text over the wire. A template with any other version (edited by hand, not in git, or a
// server hashing another form) is read again whole (its versions and split in one read). Pure:
// which templates to read is data, returned for the caller (targets/live.ts) to read.
import { MAX_PAGE_SIZE } from '../../genesys/conventions.js';
import { versionContentHash, versionDigest, type VersionContent, type WireTemplate, type WireTemplateDigest, type WireVersion, type WireVersionDigest } from './wire.js';

/** The content git holds for each version, as the wire would carry it: template name → label → content. */
export type GitVersionContent = ReadonlyMap<string, ReadonlyMap<string, VersionContent>>;

export interface FromDigests {
  /**
   * Every listed template, its versions whole where git's content or the server's answer made
   * them so. Entity metadata the digest view leaves out (dateCreated, createdBy, selfUri) is
   * absent: a plan reads none of it.
   */
  templates: WireTemplate[];
  /** The indexes in `templates` that must still be read whole (targets/live.ts: the template with its versions and split). */
  unread: number[];
}

/**
 * Whether a plan leaves a live template alone without its versions' content when git holds no
 * version of it (the caller's: not promptctl's, by its labels).
 */
export type LeftAloneUnread = (t: Pick<WireTemplateDigest, 'name' | 'labels'>) => boolean;

export function fromDigests(digests: readonly WireTemplateDigest[], git: GitVersionContent, leftAlone: LeftAloneUnread = () => false): FromDigests {
  const templates: WireTemplate[] = [];
  const unread: number[] = [];
  for (const d of digests) {
    const known = git.get(d.name);
    // Cast: the digest view leaves out metadata WireTemplate declares and a plan never reads.
    const t = { ...d } as unknown as WireTemplate;
    // A template git holds no version of that a plan leaves alone (not promptctl's: its versions
    // are named by their labels, kinds/PromptTemplate/plan.ts), reading none of their content:
    // kept as listed. Read again, a few such templates (made by hand in Genesys, the common case)
    // had the whole org listed twice.
    if (known === undefined && leftAlone(d)) {
      templates.push(t);
      continue;
    }
    let whole = true;
    const versions = d.versions?.map((v) => {
      const w = wholeVersion(v, known?.get(v.version));
      if (!w) whole = false;
      return w;
    });
    if (versions) t.versions = whole ? (versions as WireVersion[]) : [];
    if (!whole) unread.push(templates.length);
    templates.push(t);
  }
  return { templates, unread };
}

/**
 * Whether reading the unread templates again one at a time costs more requests than listing every
 * template whole again (a page of 100 a request): then the caller does that.
 */
export function readAllAgain(unread: number, templates: number): boolean {
  return unread > Math.max(1, Math.ceil(templates / MAX_PAGE_SIZE));
}

/** The version whole: as the server sent it when it sent the content, else with git's content when the hashes agree. */
function wholeVersion(v: WireVersionDigest, git: VersionContent | undefined): WireVersion | undefined {
  if (typeof v.systemInstruction === 'string' && typeof v.userTemplate === 'string') return v as WireVersion;
  if (!git || typeof v.contentHash !== 'string' || versionContentHash(git) !== v.contentHash) return undefined;
  // One shape for every version so made (the planner reads thousands of them): the digest's
  // fields, then git's content (its wire body also carries the label: not copied).
  const w = versionDigest(v) as WireVersion;
  w.systemInstruction = git.systemInstruction;
  w.userTemplate = git.userTemplate;
  w.variables = git.variables;
  w.fewShotExamples = git.fewShotExamples;
  w.model = git.model;
  w.temperature = git.temperature;
  w.maxTokens = git.maxTokens;
  w.safetyGuardrails = git.safetyGuardrails;
  return w;
}
