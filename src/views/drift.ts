// The drift report: the plan as text or markdown followed by who last changed each difference on
// the target and when; JSON is the plan document with a `drift` list. Pure: data in, string out.
import type { DriftEntry } from '../plan/drift.js';
import type { Plan } from '../plan/types.js';
import { escapeCodeCell, escapeInline, visibleName } from '../util/escapes.js';
import { leftAlone } from './plan-common.js';

/** Adds the drift section to an already rendered plan (`rendered`, in the same format). */
export function renderDrift(plan: Plan, entries: readonly DriftEntry[], format: 'text' | 'markdown' | 'json', rendered: string): string {
  if (format === 'json') return JSON.stringify({ ...plan, drift: entries }, null, 2);
  if (entries.length === 0) {
    // Every problem left is one of what could not be compared (the others are entries): no verdict.
    const heading = plan.problems.length > 0 ? '### Drift unknown: not all of git could be compared with the target' : `### ${noDrift(plan)}`;
    return format === 'markdown' ? [heading, '', rendered].join('\n') : rendered;
  }
  const n = entries.length;
  const heading = `${n} difference${n === 1 ? '' : 's'}`;
  if (format === 'markdown') {
    const rows = entries.map(
      (e) => `| ${codeCell(e.address)} | ${e.action} | ${e.modifiedBy ? codeCell(e.modifiedBy) : '—'} | ${e.dateModified ? escapeCell(e.dateModified) : '—'} | ${escapeCell(e.message)} |`,
    );
    return [`### Drift: ${heading} between the target and git`, '', '| Address | Fix | Last changed by | When | What |', '|---|---|---|---|---|', ...rows, '', rendered].join('\n');
  }
  // Names, keys and stamps come from the target as they are: made visible as the plan text makes
  // them, line breaks included, so that each difference keeps to its own line.
  const lines = entries.map((e) => {
    const what = visibleName(e.action === 'problem' ? `${e.rule ?? 'problem'}: see Problems above` : e.message);
    // Something missing on the target has no live stamp to name.
    // Some targets say when but not who (AI Studio guides and summary settings): say what is known.
    const by = e.modifiedBy ? ` by ${visibleName(e.modifiedBy)}` : '';
    const unsaid = e.modifiedBy ? '' : ' (the target does not say by whom)';
    const who = e.modifiedBy || e.dateModified ? `; last changed${by} at ${e.dateModified ? visibleName(e.dateModified) : 'an unknown time'}${unsaid}` : '';
    return `  ${visibleName(e.address)}: ${what}${who}`;
  });
  return [rendered.replace(/\n+$/, ''), '', `Drift (${heading}; who last changed each on the target, and when):`, ...lines].join('\n');
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
 * may hold backticks or a pipe). The fence is longer than any run of backticks inside it, and a
 * pipe is escaped (GitHub reads \| as a pipe inside a code span in a table).
 */
function codeCell(s: string): string {
  const clean = escapeCodeCell(s);
  const ticks = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length)) + 1;
  const fence = '`'.repeat(ticks);
  const pad = ticks > 1 || clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/**
 * Text in a table cell: escaped as the plan's markdown escapes inline text (HTML, markdown
 * punctuation, pipes, line breaks). A message may quote a free-text name: '<!--' or '<details>'
 * in it would otherwise hide the rest of the comment or step summary.
 */
function escapeCell(s: string): string {
  return escapeInline(s);
}
