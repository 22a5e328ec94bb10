// The plan as ONE pull-request comment: the summary on the first line, per-kind counts,
// destructive actions and problems near the top, then one <details> block per resource with a
// ```diff of its prompt text and its token/cost delta, in the order apply runs them (as the text
// and JSON plans list them: a reviewer and an operator see one sequence), a priority swap's staged
// steps first. Never longer than 65,536 characters (the
// GitHub comment limit): what does not fit is cut between whole pieces (markdown-cap.ts) with a
// pointer to the whole plan (the JSON plan artifact, unless the caller names another).
// Content is fenced with a fence longer than any backtick run inside it and everything outside
// fences is HTML-escaped, so a prompt containing ``` or </details> cannot break the comment.
import { AISTUDIO_KINDS, RESOURCE_KINDS } from '../model/address.js';
import { escapeHtml, escapeInline } from '../util/escapes.js';
import {
  actionVerb,
  blockDiff,
  isStructured,
  supersedesNote,
  problemPatch,
  SYMBOL,
  countsByKind,
  formatInt,
  formatPath,
  formatValue,
  gitLabel,
  tokenLine,
  visibleActions,
  hasChanges,
  summaryCounts,
  scopeNote,
  noChangesLine,
  requireSealed,
  waitedFor,
  waitsForPromotion,
  stagedSteps,
  stagedWords,
} from './plan-common.js';
import { capList, fitLeading, MARKDOWN_CAP, truncateLines } from './markdown-cap.js';
import { clipLongLines, formatDiffLine, textDiff } from './textdiff.js';
import type { Plan, PlanAction, PlanProblem } from '../plan/types.js';

export { MARKDOWN_CAP };
/** One resource's block may take at most this much, so one huge prompt cannot crowd out the rest. */
const BLOCK_CAP = 12_000;
const PROBLEMS_CAP = 16_000;
/** The versions a model switch moves, within its block: one line each, so a long list is cut. */
const AFFECTS_CAP = 3_000;
const DESTRUCTIVE_CAP = 6_000;
const UNMANAGED_CAP = 4_000;
const NOTE_RESERVE = 300;

/**
 * Room for the note on resources left out: NOTE_RESERVE, or more when the pointer it ends with is
 * long (the command that prints the whole plan names --dir as given, a long path too), so that a
 * long pointer cannot take the comment past its cap. 120 is the rest of the note, counts and all.
 */
function noteReserve(more: string): number {
  return Math.max(NOTE_RESERVE, more.length + 120);
}
/** Where the cut notes send the reader for all of it, unless the caller names another place. */
const FULL_PLAN = 'see the JSON plan artifact';

export interface MarkdownRenderOptions {
  showNoop?: boolean;
  /** The prompts directory, for the "no changes" line. */
  dir?: string;
  /** Total character cap; GitHub's comment limit by default (tests may lower it). */
  cap?: number;
  /** What the cut notes say after how many were left out: where to see all of it ("see the JSON plan artifact"). */
  more?: string;
}

/** A fenced block whose fence is longer than any run of backticks in the content. */
export function fenced(content: string, info = ''): string {
  let longest = 0;
  for (const m of content.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${content.replace(/\n$/, '')}\n${fence}`;
}

const CHANGES_HEADING = '### Changes\n\n';

export function renderMarkdown(plan: Plan, opts: MarkdownRenderOptions = {}): string {
  const cap = opts.cap ?? MARKDOWN_CAP;
  const more = opts.more ?? FULL_PLAN;
  const { headText, tailText } = frame(plan, opts, more);
  let budget = cap - headText.length - tailText.length - noteReserve(more);

  // The plan's order, apply's (DESIGN §5); what a cut leaves out is chosen below.
  const listed = visibleActions(plan, opts.showNoop ?? false);
  const staged = stagedList(plan);
  const changesHeading = listed.length > 0 || staged ? CHANGES_HEADING : '';
  budget -= changesHeading.length + staged.length;
  // Rendered one by one while they fit: a plan of thousands renders only what is shown.
  const fit = (actions: PlanAction[]) =>
    fitLeading(
      (function* () {
        for (const a of actions) yield renderDetails(a, more) + '\n\n';
      })(),
      budget,
    );
  let actions = listed;
  let blocks = fit(actions);
  if (blocks.length < actions.length) {
    // Not all fits: what changes or removes a live object comes first, what is new after it, so
    // a cut leaves out new objects before an edit of one that runs today.
    // A delete that waits for prune does nothing: last.
    const pending = (a: PlanAction) => a.action === 'delete' && a.pending === true;
    actions = [...listed.filter((a) => a.action !== 'create' && !pending(a)), ...listed.filter((a) => a.action === 'create'), ...listed.filter(pending)];
    blocks = fit(actions);
  }
  const hidden = actions.slice(blocks.length);
  let body = blocks.join('');
  if (hidden.length > 0) {
    const creates = hidden.filter((a) => a.action === 'create').length;
    const what = creates === hidden.length ? ', all of them new' : creates > 0 ? `, ${formatInt(creates)} of them new` : '';
    body += `> … ${formatInt(hidden.length)} more resource${hidden.length === 1 ? '' : 's'} not shown${what}; ${more}.\n`;
  }
  const out = headText + changesHeading + staged + body + tailText;
  // The budget above keeps us below a cap from markdownFloor up; this only guards the contract should a section misbehave.
  if (out.length <= cap) return out;
  const cut = `\n\n… comment cut at the size limit; ${more}.\n`;
  return out.slice(0, Math.max(0, cap - cut.length)) + cut;
}

/**
 * The least cap under which renderMarkdown keeps every section of this plan whole (those around
 * the resources, each capped on its own, and the note on resources left out): below it, the guard
 * at the end would cut the comment anywhere. A caller that puts more beside the plan (drift)
 * leaves it at least this much.
 */
export function markdownFloor(plan: Plan, opts: MarkdownRenderOptions = {}): number {
  const { headText, tailText } = frame(plan, opts, opts.more ?? FULL_PLAN);
  return headText.length + tailText.length + noteReserve(opts.more ?? FULL_PLAN) + CHANGES_HEADING.length + stagedList(plan).length;
}

/** What comes before the resources (summary, counts, destructive changes, problems, warnings) and after them (what is left alone, the plan's id). */
function frame(plan: Plan, opts: MarkdownRenderOptions, more: string): { headText: string; tailText: string } {
  requireSealed(plan);
  const head: string[] = [];
  const s = plan.summary;
  const extras: string[] = [];
  if (s.noop > 0) extras.push(`${formatInt(s.noop)} unchanged`);
  if (plan.unmanaged.length > 0) extras.push(`${formatInt(plan.unmanaged.length)} unmanaged`);
  const waiting = plan.problems.filter(waitsForPromotion).length;
  const blocking = plan.problems.length - waiting;
  if (blocking > 0) extras.push(`❌ ${formatInt(blocking)} problem${blocking === 1 ? '' : 's'}`);
  if (waiting > 0) extras.push(`⏳ ${formatInt(waiting)} waiting for promotion`);
  const nWarnings = plan.warnings?.length ?? 0;
  if (nWarnings > 0) extras.push(`⚠️ ${formatInt(nWarnings)} warning${nWarnings === 1 ? '' : 's'}`);
  head.push(`**Plan:** ${summaryCounts(plan, extras)}`, '');
  if (!hasChanges(plan) && plan.problems.length === 0) {
    const dir = opts.dir ?? 'prompts/';
    head.push(noChangesLine(plan, dir, { code: true, listed: 'below' }), '');
  }
  const git = gitLabel(plan);
  head.push(`Target: ${escapeInline(plan.target)}${git ? ` · ${escapeInline(git)}` : ''}`, '');
  const scope = scopeNote(plan);
  if (scope) head.push(`> ⚠️ This plan is ${escapeInline(scope)}.`, '');

  // Pending deletes get their own column, when there are any, so the table adds up to the
  // summary line above it (which does not count them as deletes).
  const pending = (s.pending ?? 0) > 0;
  // And those no apply can make (a live traffic split git no longer defines), theirs.
  const unremovable = (s.unremovable ?? 0) > 0;
  head.push(
    `| Kind | Create | Update | Delete |${pending ? ' Pending delete |' : ''}${unremovable ? ' Apply cannot delete |' : ''} Unchanged |`,
    `|---|--:|--:|--:|${pending ? '--:|' : ''}${unremovable ? '--:|' : ''}--:|`,
  );
  const counts = countsByKind(plan);
  // A kind gets a row when the plan has any of it, taken along by a delete too (a repository of
  // guides alone shows no all-zero template rows); a plan of nothing shows the gateway's kinds.
  const kinds = [...RESOURCE_KINDS, ...AISTUDIO_KINDS].filter((k) => Object.values(counts[k]).some((n) => n > 0));
  for (const k of kinds.length > 0 ? kinds : RESOURCE_KINDS) {
    const c = counts[k];
    head.push(`| ${k} | ${formatInt(c.create)} | ${formatInt(c.update)} | ${formatInt(c.delete)} |${pending ? ` ${formatInt(c.pending)} |` : ''}${unremovable ? ` ${formatInt(c.unremovable)} |` : ''} ${formatInt(c.noop)} |`);
  }
  head.push('');

  const destructive = plan.actions.filter((a) => a.destructive);
  if (destructive.length > 0) {
    const lines = [`### ⚠️ Destructive changes (${formatInt(destructive.length)})`, ''];
    lines.push(...capList(destructive.map((a) => `- ⚠️ \`${SYMBOL[a.action]} ${actionVerb(a)}\` **${escapeInline(a.address)}**${a.reason ? ` — ${escapeInline(a.reason)}` : ''}`), DESTRUCTIVE_CAP, 'destructive changes', more));
    head.push(...lines, '');
  }

  if (plan.problems.length > 0) {
    // Only gaps the merge closes: the plan waits (the PR workflow passes it), it is not broken.
    head.push(
      blocking === 0
        ? `### ⏳ Waiting for promotion (${formatInt(waiting)}) — this plan can be applied once ${escapeInline(waitedFor(plan.problems))} has run ${waiting === 1 ? 'it' : 'them'}`
        : `### ❌ Problems (${formatInt(plan.problems.length)}) — this plan cannot be applied`,
      '',
    );
    head.push(...problemList(plan.problems, more), '');
  }

  const warnings = plan.warnings ?? [];
  if (warnings.length > 0) {
    const blocks = warnings.map((p) => `- ⚠️ **${escapeInline(p.address)}**${whereIn(p)} \`${escapeInline(p.rule)}\`: ${escapeInline(p.message)}`);
    head.push(`### ⚠️ Warnings (${formatInt(warnings.length)})`, '');
    head.push(...capList(blocks, PROBLEMS_CAP, 'warnings', more), '');
  }

  const tail: string[] = [];
  if (plan.unmanaged.length > 0) {
    tail.push(`<details><summary>Left alone: ${formatInt(plan.unmanaged.length)} live object${plan.unmanaged.length === 1 ? '' : 's'} not managed by this plan</summary>`, '');
    tail.push(...capList(plan.unmanaged.map((u) => `- ${escapeInline(u.address)} — ${escapeInline(u.reason)}`), UNMANAGED_CAP, 'objects', more));
    tail.push('', '</details>', '');
  }
  // A plan with problems cannot be applied: its fingerprint names nothing a merge may apply (the
  // pull request's comment footer gives that environment none either).
  tail.push(`<sub>plan ${escapeInline(plan.id)} · ${plan.problems.length > 0 ? 'no fingerprint: it cannot be applied' : `fingerprint ${plan.fingerprint.slice(0, 16)}`}</sub>`);

  return { headText: head.join('\n') + '\n', tailText: '\n' + tail.join('\n') + '\n' };
}

/** Where in git a problem or warning is, file:line:column as validate and the text plan say it, when the plan knows. */
function whereIn(p: PlanProblem): string {
  return p.file ? ` (${escapeInline(`${p.file}:${p.line}:${p.column}`)})` : '';
}

/** A problem as a list item: where and why, and its diff when `diff` (a published version edited in git). */
function problemItem(p: PlanProblem, more: string, diff: boolean): string {
  const b = `- ${waitsForPromotion(p) ? '⏳' : '❌'} **${escapeInline(p.address)}**${whereIn(p)} \`${escapeInline(p.rule)}\`: ${escapeInline(p.message)}`;
  let patch = diff ? problemPatch(p) : undefined;
  // Too long for the comment: long lines (a paragraph on one line) are cut around their change first.
  if (patch && patch.length > BLOCK_CAP) patch = problemPatch(p, { clip: true });
  return patch ? b + '\n\n' + indent(fenced(truncateLines(patch, BLOCK_CAP, more), 'diff'), '  ') : b;
}

/**
 * The problems: with their diffs while they fit in PROBLEMS_CAP, then the rest on their line alone
 * (as much again), so that a few long diffs (a whole prompt edited) cannot hide which objects are
 * at fault while the comment has room; then how many more.
 */
function problemList(problems: readonly PlanProblem[], more: string): string[] {
  const full = problems.map((p) => problemItem(p, more, true));
  const withDiff = fitLeading(full, PROBLEMS_CAP, 1);
  if (withDiff.length === full.length) return withDiff;
  const rest = problems.slice(withDiff.length);
  // Nothing to leave out when those left have no diff: only a count of them.
  if (!rest.some((p) => p.diff && p.diff.length > 0)) return capList(full, PROBLEMS_CAP, 'problems', more);
  const note = `- … the diffs of the ${formatInt(rest.length)} problem${rest.length === 1 ? '' : 's'} below are left out for room; ${more}`;
  return [...withDiff, note, ...capList(rest.map((p) => problemItem(p, more, false)), PROBLEMS_CAP, 'problems', more)];
}

/**
 * A priority swap's staged steps, which apply runs before any other change, as a list ahead of
 * the resources ('' when none). At most one per enabled filter (50), so never cut: a cut list
 * would hide a step that runs first.
 */
function stagedList(plan: Plan): string {
  const steps = stagedSteps(plan);
  if (steps.length === 0) return '';
  return steps.map((st) => `- \`» stage\` **${escapeInline(st.address)}** ${escapeInline(stagedWords(st))}`).join('\n') + '\n\n';
}

function renderDetails(a: PlanAction, more: string): string {
  const head = detailsHead(a, more);
  const fields = fieldLines(a);
  const parts = [...head];
  if (fields.length > 0) parts.push(fenced(fields.join('\n'), 'diff'), '');
  for (const t of a.text ?? []) {
    const d = textDiff(t.before, t.after);
    parts.push(`**${t.field}**${d.replaced ? ' (too different to diff: shown replaced)' : ''}`, '');
    parts.push(fenced(d.lines.map(formatDiffLine).join('\n'), 'diff'), '');
  }
  parts.push('</details>');
  const block = parts.join('\n');
  return block.length <= BLOCK_CAP ? block : capBlock(a, head, fields, more);
}

/** The block's summary, reason, token line and the versions a model switch moves. */
function detailsHead(a: PlanAction, more: string): string[] {
  const summary = [`<code>${SYMBOL[a.action]} ${actionVerb(a)}</code> <b>${escapeHtml(a.address)}</b>${escapeHtml(supersedesNote(a))}`];
  if (a.destructive) summary.push('⚠️');
  if (a.tokens?.after !== undefined) summary.push(`· ${escapeHtml(tokenLine(a.tokens))}`);
  const parts: string[] = [`<details><summary>${summary.join(' ')}</summary>`, ''];
  if (a.reason) parts.push(`_${escapeInline(a.reason)}_`, '');
  if (a.tokens) parts.push(`${tokenLabel(a)} ${escapeInline(tokenLine(a.tokens))}`, '');
  if (a.affects?.length) {
    const lines = a.affects.map((x) => `- ${escapeInline(x.address)}: ${escapeInline(tokenLine(x.tokens))}`);
    parts.push('Versions on the template model:', '', ...capList(lines, AFFECTS_CAP, 'versions', more), '');
  }
  return parts;
}

/** The changes of fields other than prompt text, as diff lines. */
function fieldLines(a: PlanAction): string[] {
  const lines: string[] = [];
  for (const c of a.changes) {
    if (a.text?.some((t) => t.field === c.path)) continue;
    if (isStructured(c.before) || isStructured(c.after)) {
      // A field added or removed whole is added or removed with its key; a changed one keeps its key as context.
      lines.push(`${c.before === undefined ? '+' : c.after === undefined ? '-' : ' '} ${formatPath(c.path)}:`);
      lines.push(...blockDiff(c.before, c.after).map((l) => `${l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' '}   ${l.text}`));
      continue;
    }
    if (c.before !== undefined) lines.push(`- ${formatPath(c.path)}: ${formatValue(c.before)}`);
    if (c.after !== undefined) lines.push(`+ ${formatPath(c.path)}: ${formatValue(c.after)}`);
  }
  return lines;
}

/**
 * A block too big for the comment. What changes beside the prompt text (a variable's default,
 * the temperature, a model) is short and easy to miss, so the head and the field changes stay
 * (cut to half the block at most); the prompt-text diff gets the room left, fences closed, its
 * long lines cut around their change.
 */
function capBlock(a: PlanAction, head: string[], fields: string[], more: string): string {
  const top = head.join('\n');
  const fieldBlock = fields.length > 0 ? fenced(truncateLines(fields.join('\n'), BLOCK_CAP / 2, more), 'diff') + '\n' : '';
  const room = BLOCK_CAP - top.length - fieldBlock.length - 400;
  const diffs: string[] = [];
  for (const t of a.text ?? []) {
    const d = textDiff(t.before, t.after);
    // Long lines (a paragraph on one line) are cut around their change, so that the change fits.
    // A diff that gave up is said to, as the uncapped block says it: such a text is always capped.
    diffs.push(`# ${t.field}${d.replaced ? ' (too different to diff: shown replaced)' : ''}`, ...clipLongLines(d.lines).map(formatDiffLine));
  }
  const text = diffs.length > 0 ? fenced(truncateLines(diffs.join('\n'), room, more), 'diff') + '\n' : '';
  return [top, fieldBlock, text, '</details>'].join('\n');
}

/** Prompt versions count their worst case ("Worst case tokens: …"); AI Studio texts are counted as written. */
function tokenLabel(a: PlanAction): string {
  return a.kind === 'Guide' || a.kind === 'SummarySetting' ? 'Text as written,' : 'Worst case';
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');
}
