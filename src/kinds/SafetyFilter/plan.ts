// Safety filter actions, and the order that keeps every step acceptable to the server:
// a priority may only be taken once no other ENABLED filter holds it (else 409 priority.conflict),
// a replacement filter exists before the old one goes (create-before-destroy), and swaps/cycles
// are broken with a free staging priority (see stagePriority in action.ts for the executor's part).
import { filterAddress, RESOURCE_NAME, RESOURCE_NAME_RULE } from '../../model/address.js';
import { MAX_ENABLED_FILTERS, type SafetyFilter } from '../../model/types.js';
import type { WireFilter } from '../../targets/llmgateway/wire.js';
import type { DeleteAction, PlanAction, PlanPart, PlanProblem, WriteAction } from '../action.js';
import { canonicalHash, describeCreate } from '../canonical.js';
import type { PlanContext } from '../kind.js';
import { absentFromGit, isManaged, notInGit, ownershipRestored, pendingReason, withTakeover } from '../labels.js';
import { liveModified, settleAgainstLive } from '../shared.js';
import { canonical, toWire } from './index.js';
import { byCodeUnits } from '../../util/compare.js';

const MIN_PRIORITY = 1;
const MAX_PRIORITY = 100;

export function planFilters(
  desired: SafetyFilter[],
  live: WireFilter[],
  ctx: Pick<PlanContext, 'prune' | 'commit' | 'sealed' | 'keptOut'>,
): PlanPart {
  const part: PlanPart = { actions: [], problems: [], unmanaged: [] };
  const liveByName = new Map(live.map((f) => [f.name, f]));
  const desiredByName = new Map(desired.map((f) => [f.name, f]));
  const slots = new Map<string, Slot>();

  for (const f of [...desired].sort((a, b) => byCodeUnits(a.name, b.name))) {
    const l = liveByName.get(f.name);
    const labelOpts = ctx.commit !== undefined ? { commit: ctx.commit, liveLabels: l?.labels } : { liveLabels: l?.labels };
    const body = toWire(f, labelOpts);
    const after = canonical(body);
    const desiredBody = { kind: 'SafetyFilter' as const, body };
    const common = { address: filterAddress(f.name), kind: 'SafetyFilter' as const, name: f.name, dependsOn: [] };
    let a: PlanAction;
    if (!l) {
      a = { ...common, desired: desiredBody, action: 'create', changes: describeCreate(after) };
    } else {
      const before = canonical(l);
      a = withTakeover(settleAgainstLive({ ...common, liveId: l.id, guard: { version: l.version } }, () => desiredBody, before, after, l, ctx.sealed, ownershipRestored(l.labels)), l.labels);
      if (a.action === 'update' && l.enabled && !f.enabled) {
        a.destructive = true;
        a.reason = 'disables a safety filter';
      }
    }
    part.actions.push(a);
    slots.set(f.name, {
      action: a,
      livePriority: l?.enabled ? l.priority : undefined,
      wantPriority: f.enabled ? f.priority : undefined,
    });
  }

  for (const l of [...live].sort((a, b) => byCodeUnits(a.name, b.name))) {
    if (desiredByName.has(l.name)) continue;
    const address = filterAddress(l.name);
    const fate = absentFromGit(ctx.prune, l.labels, notInGit(ctx, address));
    if (fate.fate === 'kept') {
      // An enabled one acts on calls all the same, those to promptctl's templates included: said,
      // so a reviewer (and drift) sees a block made by hand.
      part.unmanaged.push({ address, reason: l.enabled ? `${fate.reason}; it guards ${covered(l)} now (${actionOn(l)})` : fate.reason });
      continue;
    }
    const a: DeleteAction = {
      address,
      action: 'delete',
      kind: 'SafetyFilter',
      name: l.name,
      liveId: l.id,
      guard: { version: l.version, hash: canonicalHash(canonical(l)) },
      live: canonical(l),
      changes: [],
      dependsOn: [],
      reason: fate.fate === 'pending' ? `${pendingReason(ctx, address)}; would remove a safety filter${guarding(l)}` : `pruned: ${notInGit(ctx, address)} (managed-by: promptctl); removes a safety filter${guarding(l)}`,
      destructive: true,
    };
    const m = liveModified(l);
    if (m) a.liveModified = m;
    part.actions.push(a);
    // A pending delete changes nothing live: its priority stays held, as by any filter not in git.
    if (fate.fate === 'pending') {
      a.pending = true;
      continue;
    }
    slots.set(l.name, { action: a, livePriority: l.enabled ? l.priority : undefined, wantPriority: undefined });
  }

  // Create-before-destroy: a pruned filter goes only once every new protection exists; unless
  // adding first would pass the server's limit of enabled filters: then the leaving go first.
  const isArriving = (s: Slot) => s.wantPriority !== undefined && s.livePriority === undefined && s.action.action !== 'noop';
  const isLeaving = (s: Slot) => s.livePriority !== undefined && (s.action.action === 'delete' || s.wantPriority === undefined);
  const leaving = [...slots.values()].filter(isLeaving);
  const liveEnabled = live.filter((l) => l.enabled).length;
  const destroyFirst =
    leaving.length > 0 && liveEnabled + [...slots.values()].filter(isArriving).length > MAX_ENABLED_FILTERS;

  const staged = sequencePriorities(slots, live, desired, part.problems, destroyFirst, (name) => notInGit(ctx, filterAddress(name)));

  const arriving = [...slots.values()].filter((s) => isArriving(s) && !staged.has(s.action.name));
  if (destroyFirst) {
    for (const c of arriving) c.action.dependsOn.push(...leaving.map((l) => l.action.address));
  } else {
    for (const d of slots.values()) {
      if (d.action.action !== 'delete') continue;
      for (const c of arriving) d.action.dependsOn.push(c.action.address);
    }
  }

  return part;
}

/** The rule of a plan that would leave the org with more enabled filters than the server takes. */
export const FILTER_LIMIT_RULE = 'filter-limit';

/**
 * The server refuses a 51st enabled filter (409 filter.limit.exceeded): the filters enabled live
 * now, less those the plan's actions delete or disable, plus those they create or enable, must
 * fit, or apply would stop partway. A pending delete (prune off) and a filter promptctl does not
 * manage stay. Counted over the actions the plan keeps (a `--changed-since` slice creates only its
 * own), and reported at the first filter they enable, before anything changes.
 */
export function enabledFilterLimit(actions: readonly PlanAction[], live: readonly WireFilter[]): PlanProblem[] {
  const enabled = new Set(live.filter((l) => l.enabled).map((l) => l.name));
  const before = enabled.size;
  const arriving: string[] = [];
  for (const a of actions) {
    if (a.kind !== 'SafetyFilter' || a.action === 'noop') continue;
    if (a.action === 'delete') {
      if (!a.pending) enabled.delete(a.name);
      continue;
    }
    const body = a.desired.kind === 'SafetyFilter' ? a.desired.body : undefined;
    if (body?.enabled === false) enabled.delete(a.name);
    else if (!enabled.has(a.name)) {
      enabled.add(a.name);
      arriving.push(a.name);
    }
  }
  if (enabled.size <= MAX_ENABLED_FILTERS || arriving.length === 0) return [];
  const removed = before + arriving.length - enabled.size;
  const first = [...arriving].sort(byCodeUnits)[0]!;
  return [
    {
      address: filterAddress(first),
      rule: FILTER_LIMIT_RULE,
      message:
        `the org would hold ${enabled.size} enabled safety filters after this plan, more than the ${MAX_ENABLED_FILTERS} the gateway allows: ` +
        `${before} enabled now, ${arriving.length} enabled by this plan, ${removed} deleted or disabled by it ` +
        `(a filter git no longer defines stays while prune is off, and one promptctl does not manage always stays). ` +
        `Disable or remove filters in git, or run with --prune to delete those promptctl manages that git no longer defines.`,
    },
  ];
}

/** The rule of a priority another enabled filter holds or wants (drift counts it with the filter's own update, plan/drift.ts). */
export const PRIORITY_CONFLICT_RULE = 'priority-conflict';

interface Slot {
  action: PlanAction;
  /** Priority held now, when the live filter is enabled. */
  livePriority: number | undefined;
  /** Priority wanted, when the filter ends enabled. */
  wantPriority: number | undefined;
}

/**
 * Adds the dependsOn edges that make every priority change land on a free priority, stages what
 * must be staged (returns their names) and records unsolvable conflicts as problems.
 * Each filter takes at most one priority and holds at most one, so the "must wait for" graph
 * among updates is made of chains and simple cycles: one staged member per cycle suffices.
 */
function sequencePriorities(
  slots: Map<string, Slot>,
  live: WireFilter[],
  desired: SafetyFilter[],
  problems: PlanProblem[],
  destroyFirst: boolean,
  /** Why git does not define a live filter here: "not in git", or the environments its document is kept to. */
  absent: (name: string) => string,
): Set<string> {
  const holderAt = new Map<number, string>();
  for (const l of live) if (l.enabled) holderAt.set(l.priority, l.name);

  const staged = new Set<string>();
  const waitsFor = new Map<string, string>(); // taker → holder that moves away by an update
  const names = [...slots.keys()].sort();
  for (const name of names) {
    const s = slots.get(name)!;
    const p = s.wantPriority;
    if (p === undefined || p === s.livePriority || s.action.action === 'delete') continue;
    const holder = holderAt.get(p);
    if (holder === undefined || holder === name) continue;
    const h = slots.get(holder);
    if (!h) {
      const held = live.find((l) => l.name === holder);
      const problem: PlanProblem = {
        address: s.action.address,
        field: 'priority',
        rule: PRIORITY_CONFLICT_RULE,
        // promptctl's own filter without a slot is a pending delete (prune off): a filter renamed in
        // git, say. Pruning it is the way out; exporting it back would undo the rename.
        message: isManaged(held?.labels)
          ? `priority ${p} is held by the enabled live filter "${holder}", promptctl's, which stays while prune is off (${absent(holder)}: its delete is pending); run with --prune, or set prune: true in promptctl.yaml, to delete it first, or choose another priority`
          : `priority ${p} is held by the enabled live filter "${holder}", which is not in git and will not be changed; choose another priority or ${bringIntoGit(holder)}`,
      };
      // Who took the priority is the holder's stamp, not this filter's: kept apart, under its own address.
      const m = held && liveModified(held);
      problem.heldBy = m ? { address: filterAddress(holder), liveModified: m } : { address: filterAddress(holder) };
      problems.push(problem);
      continue;
    }
    if (h.action.action === 'delete') {
      // The holder is pruned; the newcomer is staged so that it protects before the old one goes
      // (at the enabled-filter limit, it simply waits for the delete instead).
      if (!destroyFirst) staged.add(name);
      s.action.dependsOn.push(h.action.address);
    } else if (h.wantPriority !== p) {
      waitsFor.set(name, holder);
    } else {
      problems.push({
        address: s.action.address,
        field: 'priority',
        rule: PRIORITY_CONFLICT_RULE,
        message: `priority ${p} is also wanted by the enabled filter "${holder}"; priorities must be unique among enabled filters`,
      });
    }
  }

  // Break each cycle of waits by staging its first member (by name).
  const done = new Set<string>();
  for (const start of [...waitsFor.keys()].sort()) {
    if (done.has(start)) continue;
    const path: string[] = [];
    const onPath = new Set<string>();
    let cur: string | undefined = start;
    while (cur !== undefined && !done.has(cur) && !onPath.has(cur)) {
      path.push(cur);
      onPath.add(cur);
      cur = waitsFor.get(cur);
    }
    if (cur !== undefined && onPath.has(cur)) {
      const cycle = path.slice(path.indexOf(cur));
      staged.add([...cycle].sort()[0]!);
    }
    for (const n of path) done.add(n);
  }

  // A staged filter leaves its live priority in the staging pass: nobody waits for it.
  for (const [taker, holder] of waitsFor) {
    if (staged.has(holder)) continue;
    slots.get(taker)!.action.dependsOn.push(slots.get(holder)!.action.address);
  }

  const used = new Set<number>();
  for (const l of live) if (l.enabled) used.add(l.priority);
  for (const f of desired) if (f.enabled) used.add(f.priority);
  for (const name of [...staged].sort()) {
    const s = slots.get(name)!;
    let free: number | undefined;
    for (let p = MAX_PRIORITY; p >= MIN_PRIORITY; p--) {
      if (!used.has(p)) {
        free = p;
        break;
      }
    }
    if (free === undefined) {
      problems.push({
        address: s.action.address,
        rule: 'no-free-priority',
        message: 'this priority change needs a free staging priority (1..100) and none is free',
      });
      continue;
    }
    used.add(free);
    const staging = s.action as WriteAction; // only creates and updates are ever staged
    staging.stagePriority = free;
    staging.reason = staging.reason
      ? `${staging.reason}; staged at priority ${free} first`
      : `staged at priority ${free} first, then takes priority ${s.wantPriority}`;
  }
  return staged;
}

/** How a live filter not in git gets there: exported as it is, or, when promptctl cannot take its name, renamed in Genesys Cloud first. */
function bringIntoGit(holder: string): string {
  return RESOURCE_NAME.test(holder)
    ? `bring "${holder}" into git (promptctl export)`
    : `rename "${holder}" in Genesys Cloud to a name promptctl can manage (${RESOURCE_NAME_RULE}), then bring it into git (promptctl export)`;
}

/**
 * What a live filter a delete removes guards now, for the reviewer weighing the removal: the
 * templates it covers and what it does to them, or that it is disabled and guards nothing.
 */
function guarding(l: WireFilter): string {
  if (!l.enabled) return ', disabled now: it guards nothing';
  return ` that guards ${covered(l)} now (${actionOn(l)})`;
}

/** The templates a live filter's selector covers, in words. */
function covered(l: WireFilter): string {
  const names = l.appliesTo?.templates;
  const labels = Object.entries(l.appliesTo?.labels ?? {});
  const covers: string[] = [];
  if (names !== undefined && names.length > 0) covers.push([...names].sort(byCodeUnits).join(', '));
  if (labels.length > 0) covers.push(`templates labelled ${labels.map(([k, v]) => `${k}=${v}`).sort(byCodeUnits).join(', ')}`);
  // No selector covers every template (model/filters.ts filterCovers); an empty list of names, none.
  return names === undefined && labels.length === 0 ? 'every template' : covers.length > 0 ? covers.join(' or ') : 'no template';
}

/** What a live filter does, and to which categories. */
function actionOn(l: WireFilter): string {
  return `${l.action} on ${[...l.categories].sort(byCodeUnits).join(', ')}`;
}
