// The drift report: the plan as text or markdown followed by who last changed each difference on
// the target and when; JSON is the plan document with a `drift` list. Pure: data in, string out.
// The markdown (a table of the differences above the plan) keeps within GitHub's limit for an
// issue's description as a whole, cut between rows and between the plan's resources.
import type { DriftEntry } from '../plan/drift.js';
import type { Plan } from '../plan/types.js';
import { escapeCodeCell, escapeInline, visibleName } from '../util/escapes.js';
import { codeSpan } from './code-span.js';
import { fitLeading, MARKDOWN_CAP } from './markdown-cap.js';
import { leftAlone, formatInt, UNREMOVABLE_VERB } from './plan-common.js';

/**
 * Room left below GitHub's limit for what a workflow puts around the report: drift.yml opens an
 * issue whose description is its own heading, the report, then its hidden markers
 * (`<!-- promptctl-drift … -->`), so the markers are never what a cut takes.
 */
const WRAPPING_RESERVE = 2_048;
/** The markdown report's own limit. */
export const DRIFT_MARKDOWN_CAP = MARKDOWN_CAP - WRAPPING_RESERVE;
/** Where a cut note sends the reader for every difference (the JSON report holds them all, with the whole plan). */
export const FULL_DRIFT = 'run `promptctl drift --format json` for the full list';

/**
 * The plan in the report's format. In markdown, a renderer that keeps it within `cap` characters
 * with `more` in its cut notes (`renderMarkdown`'s options), so the report as a whole fits, and
 * the least cap it keeps its own sections whole under (`markdownFloor`). A string is taken as it is.
 */
export type RenderedPlan = string | { render(opts: { cap: number; more: string }): string; floor(opts: { more: string }): number };
/** Beside a table too long to fit, the plan keeps this much more than its floor, for some resources' diffs. */
const PLAN_SHARE = 16_000;

export interface DriftRenderOptions {
  /** The markdown report's character cap: DRIFT_MARKDOWN_CAP by default (tests may lower it). */
  cap?: number;
  /**
   * Where a cut note sends the reader: FULL_DRIFT by default. The command gives its own, with the
   * run's --env and --dir: a bare `drift` compares another target or directory.
   */
  more?: string;
}

/** Adds the drift section to the plan (`rendered`, in the same format; in markdown, its renderer). */
export function renderDrift(plan: Plan, entries: readonly DriftEntry[], format: 'text' | 'markdown' | 'json', rendered: RenderedPlan, opts: DriftRenderOptions = {}): string {
  if (format === 'json') return JSON.stringify({ ...plan, drift: entries }, null, 2);
  const cap = opts.cap ?? DRIFT_MARKDOWN_CAP;
  const more = opts.more ?? FULL_DRIFT;
  const planWithin = (room: number): string => (typeof rendered === 'string' ? rendered : rendered.render({ cap: room, more }));
  const floor = (): number => (typeof rendered === 'string' ? 0 : rendered.floor({ more }));
  if (entries.length === 0) {
    // Every problem left is one of what could not be compared (the others are entries): no verdict.
    const heading = plan.problems.length > 0 ? '### Drift unknown: not all of git could be compared with the target' : `### ${noDrift(plan)}`;
    return format === 'markdown' ? [heading, '', planWithin(cap - heading.length - 2)].join('\n') : planWithin(Number.POSITIVE_INFINITY);
  }
  const n = entries.length;
  const heading = `${formatInt(n)} difference${n === 1 ? '' : 's'}`;
  if (format === 'markdown') return driftMarkdown(entries, `### Drift: ${heading} between the target and git`, planWithin, cap, floor, more);
  const text = planWithin(Number.POSITIVE_INFINITY);
  // Names, keys and stamps come from the target as they are: made visible as the plan text makes
  // them, line breaks included, so that each difference keeps to its own line.
  const lines = entries.map((e) => {
    const what = visibleName(e.action === 'problem' ? `${e.rule ?? 'problem'}: see Problems above` : e.message);
    // Something missing on the target has no live stamp to name.
    // Some targets say when but not who (AI Studio guides and summary settings): say what is known.
    const by = e.modifiedBy ? ` by ${visibleName(e.modifiedBy)}` : '';
    const unsaid = e.modifiedBy ? '' : ' (the target does not say by whom)';
    const who = e.modifiedBy || e.dateModified ? `; last changed${by} at ${e.dateModified ? visibleName(e.dateModified) : 'an unknown time'}${unsaid}` : '';
    // The object in the way last, with its own stamp: this address's is said before it.
    return `  ${visibleName(e.address)}: ${what}${who}${visibleName(heldBy(e))}`;
  });
  return [text.replace(/\n+$/, ''), '', `Drift (${heading}; who last changed each on the target, and when):`, ...lines].join('\n');
}

/**
 * The table of differences, then the plan. The plan takes what the table leaves, but never less
 * than its floor (below it the plan's own sections would be cut anywhere) and some room for its
 * resources; the table then takes what the plan left, cut between rows. When all of it fits, it
 * is what it always was.
 */
function driftMarkdown(entries: readonly DriftEntry[], heading: string, planWithin: (room: number) => string, cap: number, floor: () => number, more: string): string {
  const top = [heading, '', '| Address | Fix | Last changed by | When | What |', '|---|---|---|---|---|'];
  const rows = entries.map(
    (e) => `| ${codeCell(e.address)} | ${fix(e)} | ${e.modifiedBy ? codeCell(e.modifiedBy) : '—'} | ${e.dateModified ? escapeCell(e.dateModified) : '—'} | ${escapeCell(e.message + heldBy(e))} |`,
  );
  // Each line but the plan's is followed by its line break.
  const table = [...top, ...rows, ''].join('\n') + '\n';
  const planned = planWithin(table.length + floor() + PLAN_SHARE <= cap ? cap - table.length : Math.min(cap, floor() + PLAN_SHARE));
  if (table.length + planned.length <= cap) return table + planned;
  // Room for the note as it reads with every row left out: fewer left out never make it longer.
  const room = cap - planned.length - [...top, '', leftOut(rows.length, more), '', ''].join('\n').length;
  const kept = fitLeading(rows, room, 1);
  return [...top, ...kept, '', leftOut(rows.length - kept.length, more), '', planned].join('\n');
}

/**
 * The live object in a problem's way with its own stamp ("; held by SafetyFilter/x (last changed
 * by … at …)"): said beside it, not in the columns that are this address's.
 */
function heldBy(e: DriftEntry): string {
  if (!e.heldBy) return '';
  const { address, modifiedBy, dateModified } = e.heldBy;
  const stamp = modifiedBy || dateModified ? ` (last changed${modifiedBy ? ` by ${modifiedBy}` : ''} at ${dateModified ?? 'an unknown time'})` : '';
  return `; held by ${address}${stamp}`;
}

/** What apply does about a difference, worded as the plan words it: a delete waiting for prune is not made, nor one apply cannot make. */
function fix(e: DriftEntry): string {
  return e.unremovable ? UNREMOVABLE_VERB : e.pending ? `${e.action} (pending: prune is off)` : e.action;
}

function leftOut(n: number, more: string): string {
  return `> … ${formatInt(n)} more difference${n === 1 ? '' : 's'} not shown; ${more}.`;
}

/**
 * The verdict when nothing differs. Objects on the target that git does not define are left
 * alone (not drift), but "the target matches git" would say they are not there.
 */
export function noDrift(plan: Plan): string {
  const n = plan.unmanaged.length;
  if (n === 0) return 'No drift: the target matches git';
  return `No drift in what promptctl manages; ${leftAlone(n)}`;
}

/**
 * A code span that stays in its table cell: names are free text (a guide named in the Genesys UI
 * may hold backticks or a pipe), and a pipe is escaped (GitHub reads \| as a pipe inside a code
 * span in a table).
 */
function codeCell(s: string): string {
  return codeSpan(escapeCodeCell(s));
}

/**
 * Text in a table cell: escaped as the plan's markdown escapes inline text (HTML, markdown
 * punctuation, pipes, line breaks). A message may quote a free-text name: '<!--' or '<details>'
 * in it would otherwise hide the rest of the comment or step summary.
 */
function escapeCell(s: string): string {
  return escapeInline(s);
}
