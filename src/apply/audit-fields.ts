// What an action's audit records say of it (DESIGN §5): the state it was planned against
// (`before`), what its call means to produce (an intent's `after`), and the audit `action` name.
import { guardOf } from '../kinds/action.js';
import { canonicalHash } from '../kinds/canonical.js';
import { kindOf } from '../kinds/index.js';
import type { Snapshot } from '../kinds/kind.js';
import { snapshot as versionSnapshot } from '../kinds/PromptVersion/index.js';
import type { PlanAction } from '../plan/types.js';

/** What the action was planned against, as an audit `before`: version, hash and canonical form. */
export function beforeSnapshot(a: PlanAction): Snapshot | null {
  const guard = guardOf(a);
  if (!guard) return null;
  const planned = a.action === 'update' || a.action === 'delete' ? kindOf(a.kind).plannedAgainst?.(a) : undefined;
  if (planned) return planned;
  // A prompt version's label, a guide's latest version's label, or the object's integer version.
  const version = a.kind === 'PromptVersion' ? (a.version ?? null) : (guard.version ?? guard.label ?? null);
  const content = a.action === 'update' || a.action === 'delete' ? (a.live ?? null) : null;
  return { version, hash: guard.hash ?? null, content };
}

/** What the call means to produce (an intent's `after`): the desired canonical form; nothing for a delete. */
export function intendedSnapshot(a: PlanAction): Snapshot | null {
  if (a.action !== 'create' && a.action !== 'update') return null;
  if (a.desired.kind === 'PromptVersion') return versionSnapshot(a.desired.body.version, a.desired.body, a.desired.publish ? 'Published' : 'Draft');
  const kind = kindOf(a.kind);
  if (kind.intended) return kind.intended(a);
  const content = kind.canonical(a.desired.body as never);
  return { version: a.kind === 'PromptVersion' ? (a.version ?? null) : null, hash: canonicalHash(content), content };
}

/** The audit `action` of a plan action: versions are published and retired, not just created/deleted. */
export function auditAction(a: PlanAction): string {
  if (a.kind === 'PromptVersion') {
    if (a.action === 'delete') return 'retire';
    if (a.action === 'update' && a.desired.kind === 'PromptVersion' && !a.desired.patch && a.desired.publish) return 'publish';
  }
  // A guide whose latest version holds the content already only moves its state.
  if (a.action === 'update' && a.desired.kind === 'Guide' && a.desired.write === 'none') return 'publish';
  return a.action;
}
