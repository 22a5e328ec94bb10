// promptctl drift: a read-only plan that exits 2 when the live org differs from git, saying
// for each difference who changed the live object and when.
import type { Command } from 'commander';
import type { LiveState } from '../genesys/api.js';
import type { Plan, PlanAction } from '../plan/types.js';
import { EXIT } from '../util/errors.js';
import { addDirOption, planTarget } from './common.js';
import { info, out } from './output.js';
import { parseFormat, renderPlan, type PlanFormat } from './render.js';

interface DriftFlags {
  dir: string;
  format: string;
}

export interface DriftEntry {
  address: string;
  /** What apply would do to bring live back in line with git. */
  action: PlanAction['action'] | 'problem';
  /** Who last changed the live object (its modifiedBy id), when the target says. */
  modifiedBy: string | null;
  dateModified: string | null;
  message: string;
  /** For problems: the rule, e.g. "immutable-version". */
  rule?: string;
}

export function registerDrift(program: Command): void {
  addDirOption(
    program
      .command('drift')
      .description('compare the live org with git (read-only); exit 2 when they differ')
      .option('--format <format>', 'text | markdown | json', 'text'),
  ).action(async (flags: DriftFlags) => {
    process.exitCode = await runDrift(flags, process.cwd(), process.env);
  });
}

export async function runDrift(flags: DriftFlags, cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  const format = parseFormat(flags.format);
  const { plan, live } = await planTarget({ dir: flags.dir, cwd, env, doing: 'compared' });
  const entries = driftEntries(plan, live);
  out(await renderDrift(plan, entries, format, flags.dir));
  for (const u of plan.unmanaged) info(`note: ${u.address} exists only on the target (${u.reason})`);
  if (entries.length === 0) {
    info('No drift: the target matches git.');
    return EXIT.ok;
  }
  info(`Drift: ${entries.length} difference${entries.length === 1 ? '' : 's'} between the target and git.`);
  return EXIT.changes;
}

/** Every difference, with who last touched the live side. */
export function driftEntries(plan: Plan, live: LiveState): DriftEntry[] {
  const entries: DriftEntry[] = [];
  for (const a of plan.actions) {
    if (a.action === 'noop') continue;
    const who = a.liveModified ?? liveModifiedOf(a.address, live);
    entries.push({
      address: a.address,
      action: a.action,
      modifiedBy: who?.by ?? null,
      dateModified: who?.at ?? null,
      message: describe(a),
    });
  }
  for (const p of plan.problems) {
    const who = liveModifiedOf(p.address, live);
    entries.push({ address: p.address, action: 'problem', rule: p.rule, modifiedBy: who?.by ?? null, dateModified: who?.at ?? null, message: p.message });
  }
  return entries;
}

function describe(a: PlanAction): string {
  if (a.action === 'create') return 'defined in git, missing on the target';
  if (a.action === 'delete') return `on the target, no longer in git${a.reason ? ` (${a.reason})` : ''}`;
  const fields = a.changes.map((c) => c.path);
  return fields.length > 0 ? `differs from git: ${fields.join(', ')}` : `differs from git${a.reason ? ` (${a.reason})` : ''}`;
}

/** The live object behind an address, for its modifiedBy/dateModified. */
function liveModifiedOf(address: string, live: LiveState): { by?: string; at?: string } | undefined {
  const slash = address.indexOf('/');
  const kind = address.slice(0, slash);
  const rest = address.slice(slash + 1);
  const stamp = (o: { modifiedBy?: { id: string }; dateModified?: string } | null | undefined) =>
    o ? { ...(o.modifiedBy?.id ? { by: o.modifiedBy.id } : {}), ...(o.dateModified ? { at: o.dateModified } : {}) } : undefined;
  if (kind === 'SafetyFilter') return stamp(live.filters.find((f) => f.name === rest));
  if (kind === 'PromptVersion') {
    const at = rest.lastIndexOf('@');
    const t = live.templates.find((x) => x.name === rest.slice(0, at));
    return stamp(t?.versions?.find((v) => v.version === rest.slice(at + 1)));
  }
  const t = live.templates.find((x) => x.name === rest);
  if (kind === 'TrafficSplit') return stamp(t?.traffic ?? null);
  return stamp(t);
}

async function renderDrift(plan: Plan, entries: DriftEntry[], format: PlanFormat, dir: string): Promise<string> {
  // json: the plan document, plus who changed what: one JSON document on stdout.
  if (format === 'json') return JSON.stringify({ ...plan, drift: entries }, null, 2);
  const rendered = await renderPlan(plan, format, dir);
  if (entries.length === 0) return rendered;
  if (format === 'markdown') {
    const rows = entries.map(
      (e) => `| \`${e.address}\` | ${e.action} | ${e.modifiedBy ? `\`${e.modifiedBy}\`` : '—'} | ${e.dateModified ?? '—'} | ${escapeCell(e.message)} |`,
    );
    return [
      `### Drift: ${entries.length} difference${entries.length === 1 ? '' : 's'} between the target and git`,
      '',
      '| Address | Fix | Last changed by | When | What |',
      '|---|---|---|---|---|',
      ...rows,
      '',
      rendered,
    ].join('\n');
  }
  const lines = entries.map((e) => {
    const what = e.action === 'problem' ? `${e.rule ?? 'problem'}: see Problems above` : e.message;
    // Something missing on the target has no live stamp to name.
    const who = e.modifiedBy || e.dateModified ? `; last changed by ${e.modifiedBy ?? 'unknown'} at ${e.dateModified ?? 'an unknown time'}` : '';
    return `  ${e.address}: ${what}${who}`;
  });
  const n = entries.length;
  return [rendered.replace(/\n+$/, ''), '', `Drift (${n} difference${n === 1 ? '' : 's'}; who last changed each on the target, and when):`, ...lines].join('\n');
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
