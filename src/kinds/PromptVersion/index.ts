// PromptVersion: an immutable prompt text once published. Its canonical form (the content-hash
// fields, variables keyed by name), model ⇄ wire, and the calls apply makes (create or patch a
// Draft, publish, retire). Planning one version against its live counterpart is plan.ts.
import { versionAddress } from '../../model/address.js';
import type { DesiredState, PromptVersion, Variable } from '../../model/types.js';
import type { GitVersionContent } from '../../targets/llmgateway/digests.js';
import type { VersionContent, VersionCreate, VersionOptionalField, VersionPatch, VersionState, WireVariable, WireVersion } from '../../targets/llmgateway/wire.js';
import { inKeyOrder } from '../../util/compare.js';
import type { Guard, PlanAction } from '../action.js';
import { asLoaded, canonicalEqual, canonicalHash, type Canonical } from '../canonical.js';
import { setEntry } from '../../util/entries.js';
import type { ApplyContext, CallResult, Kind, Midway, MidwayIntent, Snapshot } from '../kind.js';
import { LIVE_SOURCE } from '../live-source.js';
import { afterLanded, assertWrite, desiredOf, FailedAfterLanded, GuardMoved, Interrupted, isApiError, readOrGone, stopIfInterrupted } from '../shared.js';
import { versionWeakening } from './weakening.js';

/** The code of a publish job that ended Failed (genesys/failures.ts jobFailed; kinds do not import genesys). */
const JOB_FAILED = 'job.failed';

export const TEXT_FIELDS = ['systemInstruction', 'userTemplate'] as const;

/** A variable's key in the canonical form (one function, not one made per call: a large org has thousands). */
const variableKey = (v: WireVariable | Variable): string => v.name;

/**
 * Every content field with its default applied and absent optionals as null; variables keyed by
 * name (their order is not a change); few-shot examples and enum values keep their order. Prompt
 * text, few-shot examples included, is compared exactly (a trailing newline is a change), line ends
 * aside: CRLF and CR are LF and a leading BOM is dropped, as git's text is when loaded (DESIGN §2). A version made elsewhere
 * with Windows line ends is then the content git holds, not an immutable difference git cannot
 * express.
 */
export function canonical(c: VersionContent): Canonical {
  // The defaults are the contract's (targets/llmgateway/wire.ts canonicalVersionFields, which
  // kinds may not import): this form keys variables by name and reads text as loading does.
  const g = c.safetyGuardrails ?? {};
  const variables: Canonical = {};
  for (const v of inKeyOrder(c.variables ?? [], variableKey)) {
    setEntry(variables, v.name, {
      default: v.default ?? null,
      description: v.description ?? null,
      maxLength: v.maxLength ?? null,
      maxTokens: v.maxTokens ?? null,
      required: v.required ?? true,
      type: v.type,
      values: v.values ? [...v.values] : null,
    });
  }
  // Keys in sorted order at every level: stable JSON then writes it natively (util/json).
  return {
    // Examples are loaded as prompt text is (model/normalize.ts): their line ends are no content either.
    fewShotExamples: (c.fewShotExamples ?? []).map((e) => ({ input: asLoaded(e.input), output: asLoaded(e.output) })),
    maxTokens: c.maxTokens ?? null,
    model: c.model ?? null,
    safetyGuardrails: {
      jailbreakDetection: g.jailbreakDetection ?? true,
      outputModeration: g.outputModeration ?? true,
      piiFilter: g.piiFilter ?? true,
    },
    systemInstruction: asLoaded(c.systemInstruction),
    temperature: c.temperature ?? null,
    userTemplate: asLoaded(c.userTemplate),
    variables,
  };
}

/** "Did my write land?": the live version holds the content that was sent. */
export function landed(sent: VersionContent, live: VersionContent): boolean {
  return canonicalEqual(canonical(sent), canonical(live));
}

function variableToWire(v: Variable): WireVariable {
  const w: WireVariable = { name: v.name, type: v.type, required: v.required };
  if (v.default !== undefined) w.default = v.default;
  if (v.maxLength !== undefined) w.maxLength = v.maxLength;
  if (v.maxTokens !== undefined) w.maxTokens = v.maxTokens;
  if (v.values !== undefined) w.values = [...v.values];
  if (v.description !== undefined) w.description = v.description;
  return w;
}

export function toWire(v: PromptVersion): VersionCreate {
  const body: VersionCreate = {
    version: v.version,
    systemInstruction: v.systemInstruction,
    userTemplate: v.userTemplate,
    variables: v.variables.map(variableToWire),
    fewShotExamples: v.fewShotExamples.map((e) => ({ input: e.input, output: e.output })),
    safetyGuardrails: { ...v.safetyGuardrails },
  };
  if (v.model !== undefined) body.model = v.model;
  if (v.temperature !== undefined) body.temperature = v.temperature;
  if (v.maxTokens !== undefined) body.maxTokens = v.maxTokens;
  return body;
}

/**
 * The content git holds for each version: a live read in the digest view compares its hash with
 * each listed version's (targets/llmgateway/digests.ts), and a version hashing the same takes it.
 * Its fields are the model's own (the model's variables are wire variables), read and never
 * written: the planner then finds such a version equal to git's by identity (same.ts), and no copy
 * of 2,000 versions' content is made.
 */
export function gitVersionContent(state: Pick<DesiredState, 'versions'>): GitVersionContent {
  const out = new Map<string, Map<string, VersionContent>>();
  for (const v of state.versions) {
    let labels = out.get(v.template);
    if (!labels) out.set(v.template, (labels = new Map()));
    const content: VersionContent = {
      systemInstruction: v.systemInstruction,
      userTemplate: v.userTemplate,
      variables: v.variables,
      fewShotExamples: v.fewShotExamples,
      safetyGuardrails: v.safetyGuardrails,
    };
    if (v.model !== undefined) content.model = v.model;
    if (v.temperature !== undefined) content.temperature = v.temperature;
    if (v.maxTokens !== undefined) content.maxTokens = v.maxTokens;
    labels.set(v.version, content);
  }
  return out;
}

export function fromWire(w: VersionContent & { version: string }, template: string): PromptVersion {
  const g = w.safetyGuardrails ?? {};
  const v: PromptVersion = {
    kind: 'PromptVersion',
    template,
    version: w.version,
    systemInstruction: w.systemInstruction,
    userTemplate: w.userTemplate,
    variables: (w.variables ?? []).map((x) => {
      const variable: Variable = { name: x.name, type: x.type, required: x.required ?? true };
      if (x.default !== undefined && x.default !== null) variable.default = x.default;
      if (x.maxLength !== undefined && x.maxLength !== null) variable.maxLength = x.maxLength;
      if (x.maxTokens !== undefined && x.maxTokens !== null) variable.maxTokens = x.maxTokens;
      if (x.values !== undefined && x.values !== null) variable.values = [...x.values];
      if (x.description !== undefined && x.description !== null) variable.description = x.description;
      return variable;
    }),
    fewShotExamples: (w.fewShotExamples ?? []).map((e) => ({ input: e.input, output: e.output })),
    safetyGuardrails: {
      piiFilter: g.piiFilter ?? true,
      jailbreakDetection: g.jailbreakDetection ?? true,
      outputModeration: g.outputModeration ?? true,
    },
    labels: {},
    source: LIVE_SOURCE,
    locations: {},
  };
  if (w.model !== undefined && w.model !== null) v.model = w.model;
  if (w.temperature !== undefined && w.temperature !== null) v.temperature = w.temperature;
  if (w.maxTokens !== undefined && w.maxTokens !== null) v.maxTokens = w.maxTokens;
  return v;
}

export function contentHash(c: VersionContent): string {
  return canonicalHash(canonical(c));
}

/**
 * What an action on a live version is planned against: its content hash (absent from a noop of a
 * plan only shown as text), its own id (its action's liveId is its template's: the id alone tells
 * a version deleted and made again by hand from the one reviewed; a server may send none) and its
 * state. Keys in sorted order, for stable JSON's native path.
 */
export function versionGuard(live: Pick<WireVersion, 'id' | 'state'>, hash: string | undefined): Guard {
  const g: Guard = {};
  if (hash !== undefined) g.hash = hash;
  if (live.id !== undefined) g.id = live.id;
  g.state = live.state;
  return g;
}

/**
 * A version as audit records carry it: its canonical content plus its state, so that a version
 * created but not yet published is not mistaken for the intended (published) one.
 */
export function snapshot(label: string, c: VersionContent, state: VersionState): Snapshot {
  const content = { ...canonical(c), state };
  return { version: label, hash: canonicalHash(content), content };
}

/**
 * An update's or a retirement's `before` as `snapshots` describes the live version: its canonical
 * content and its state, so that settling an interrupted publish can tell "still the Draft it was"
 * from "changed by someone else" (the guard's hash covers the content alone).
 */
function plannedAgainst(a: Extract<PlanAction, { action: 'update' | 'delete' }>): Snapshot | null {
  if (!a.live || !a.guard.state) return null;
  const content = { ...a.live, state: a.guard.state };
  return { version: a.version ?? null, hash: canonicalHash(content), content };
}

/**
 * A version is created (or patched) as a Draft and then published, in separate calls: a run that
 * died between them leaves the intended content as a Draft, which the next apply publishes.
 */
function midway({ after }: MidwayIntent): Midway[] {
  const content = after.content;
  if (typeof content !== 'object' || content === null || (content as { state?: unknown }).state !== 'Published') return [];
  const left = 'the version holds the intended content as a Draft, not yet published';
  return [{ hash: canonicalHash({ ...content, state: 'Draft' }), left, note: `partly applied: ${left} (the next apply publishes it)` }];
}

/**
 * A version meant Published stays the Draft of that content until its publish job ends: after
 * the create or PATCH, or as it was, for a Draft published as it is.
 */
function publishing({ after }: MidwayIntent): string[] {
  const content = after.content;
  if (typeof content !== 'object' || content === null || (content as { state?: unknown }).state !== 'Published') return [];
  return [canonicalHash({ ...content, state: 'Draft' })];
}

/** The optional content fields, which a PATCH keeps unless told to clear them. */
const OPTIONAL_FIELDS: readonly VersionOptionalField[] = ['variables', 'fewShotExamples', 'model', 'temperature', 'maxTokens', 'safetyGuardrails'];

/**
 * A PATCH that makes the Draft hold `content` exactly: an optional field git leaves out is cleared
 * (null), not kept (a PATCH replaces only the fields it names).
 */
export function fullPatch(content: VersionContent): VersionPatch {
  const patch: VersionPatch = { ...content };
  for (const k of OPTIONAL_FIELDS) if (content[k] === undefined) patch[k] = null;
  return patch;
}

async function apply(a: PlanAction, ctx: ApplyContext): Promise<CallResult> {
  assertWrite(a);
  const { api } = ctx;
  const label = a.version;
  if (!label) throw new Error(`${a.address}: the plan names no version label`);
  if (a.action === 'delete') {
    const live = await readOrGone(() => api.getVersion(a.liveId, label));
    if (!live) return { resourceId: a.liveId, after: null, detail: 'already gone' };
    checkContentGuard(a, live);
    stopIfInterrupted(ctx, a, 'retiring it');
    await api.deleteVersion(a.liveId, label);
    return { resourceId: a.liveId, after: null, detail: 'retired' };
  }
  const templateId = a.action === 'create' ? (a.parentId ?? (await ctx.ids.templateId(a.name))) : a.liveId;
  const d = desiredOf(a, 'PromptVersion');
  const done: string[] = [];
  // The content the publish freezes, as the server names it: the one just written, or the Draft as planned.
  let written: WireVersion | undefined;
  if (a.action === 'create') {
    // Finding the template's id may have taken a read.
    stopIfInterrupted(ctx, a, 'creating it');
    written = await api.createVersion(templateId, d.body);
    done.push('created');
  } else if (d.patch) {
    // The PATCH carries no version either: the Draft must still hold what the plan was reviewed against.
    await draftAsPlanned(a, () => api.getVersion(templateId, label));
    stopIfInterrupted(ctx, a, 'updating the Draft');
    const { version: _label, ...content } = d.body;
    void _label;
    written = await api.patchVersion(templateId, label, fullPatch(content));
    done.push('updated');
  } else if (d.publish) {
    written = await draftAsPlanned(a, () => api.getVersion(templateId, label));
  }
  if (d.publish) {
    // A Draft written just now is left as it is: the next plan sees it and publishes it.
    const landed = written && done.length > 0 ? { done: [`${done[0]} version ${label} as a Draft, not published`], after: snapshot(label, d.body, 'Draft'), resourceId: templateId } : undefined;
    stopIfInterrupted(ctx, a, 'publishing it', landed);
    const { published } = await afterLanded(a, 'publishing it', landed, () => api.startPublish(templateId, label, written?.contentHash ? { contentHash: written.contentHash } : {}));
    // The publish job has started: its confirmation only reads, and after an interrupt it is still
    // looked at for a moment (DESIGN §5: calls in flight finish; gate.ts CONFIRM_AFTER_STOP_MS), so
    // the record says whether the version was published when it can; a longer wait is not made.
    await ctx.idle(published).catch((err: unknown) => {
      // A job that ended Failed left the Draft just written as it was: that landed, and is said.
      if (landed && isApiError(err) && err.code === JOB_FAILED) throw new FailedAfterLanded(a, landed, err);
      // A confirmation the interrupt held back (a read that would have had to wait: a retry's
      // delay, a busy slot): what landed is said, and the state is left to the next plan.
      if (isApiError(err) && err.notResent) {
        const wrote = written && done.length > 0 ? [`${done[0]} version ${label}`] : [];
        throw new Interrupted(a, { done: [...wrote, 'started publishing it'], after: null, resourceId: templateId }, 'confirming its publish', 'whether it is published');
      }
      // Any other failure here (a read that did not answer) leaves the version's state unknown.
      throw err;
    });
    done.push('published');
  }
  // The client has checked that what the server holds is what was sent (each write's answer, or
  // what reconciling a lost one read), so the publish above never froze anything else.
  const after = snapshot(label, d.body, d.publish ? 'Published' : 'Draft');
  return {
    resourceId: templateId,
    after,
    detail: `${done.join(' and ') || 'unchanged'} (hash ${after.hash!.slice(0, 12)})`,
  };
}

/**
 * A Draft someone else made, read just before it is published: it must still hold what the plan
 * was reviewed against (the jobs call carries no version to guard it, and cannot be undone).
 */
async function draftAsPlanned(a: Extract<PlanAction, { action: 'update' }>, read: () => Promise<WireVersion>): Promise<WireVersion> {
  const live = await readOrGone(read);
  if (!live) throw new GuardMoved(a, `version ${a.version} is gone`);
  checkContentGuard(a, live);
  return live;
}

/** A version read just before a call must still be the one it was planned against, holding that content in that state (its guard's id, hash and state). */
function checkContentGuard(a: Extract<PlanAction, { action: 'update' | 'delete' }>, live: WireVersion): void {
  // Another version under the same label (deleted and made again since the plan was checked): a
  // write must not land on an object nobody reviewed, whatever it holds.
  if (a.guard.id !== undefined && live.id !== undefined && live.id !== a.guard.id) throw new GuardMoved(a, `replaced: id ${a.guard.id} → ${live.id}`);
  // Published since the plan (by someone else, or an earlier run's job that ended after the plan's
  // read): a publish would be sent for nothing and recorded as this run's change, as a guide's is not.
  if (a.guard.state !== undefined && live.state !== a.guard.state) throw new GuardMoved(a, `version ${a.version} ${a.guard.state} → ${live.state}`);
  const hash = contentHash(live);
  if (a.guard.hash && hash !== a.guard.hash) throw new GuardMoved(a, `content hash ${a.guard.hash.slice(0, 12)} → ${hash.slice(0, 12)}`);
}

/**
 * A publication's share of the listing page that confirms it with others: measured at about one
 * page per 25–30 publications in a 1,000-template apply (bench/RESULTS.md).
 */
const CONFIRMATION_SHARE = 1 / 25;

function expectedRequests(a: PlanAction): number {
  if (a.action === 'delete') return 2; // read (the guard), then delete
  if (a.action === 'noop' || a.desired.kind !== 'PromptVersion') return 0;
  const d = a.desired;
  // A write, or else (a Draft published as it is) the read that checks it first.
  const write = a.action === 'create' || d.patch || d.publish ? 1 : 0;
  // A PATCH reads the Draft first (its guard).
  const guardRead = a.action === 'update' && d.patch ? 1 : 0;
  return write + guardRead + (d.publish ? 1 + CONFIRMATION_SHARE : 0);
}

export const PromptVersionKind: Kind<VersionContent> = {
  kind: 'PromptVersion',
  surface: 'llmgateway',
  phase: { write: 2, remove: 4 },
  canonical,
  documents: (desired) => desired.versions,
  apply,
  expectedRequests,
  plannedAgainst,
  midway,
  publishing,
  weakening: versionWeakening,
  *snapshots(live) {
    for (const t of live.templates) for (const v of t.versions ?? []) yield [versionAddress(t.name, v.version), snapshot(v.version, v, v.state), t.id];
  },
};
