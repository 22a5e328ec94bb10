// The terminal plan, Terraform-like: `+ create`, `~ update`, `- delete`, field changes, coloured
// unified diffs of prompt text, token deltas, problems, unmanaged objects and a summary line.
// Changes are listed in the order apply runs them, as the JSON and markdown plans list them.
import {
  ACTION_STYLE,
  SYMBOL,
  actionVerb,
  blockDiff,
  formatPath,
  formatValue,
  isStructured,
  supersedesNote,
  gitLabel,
  problemPatch,
  tokenLine,
  visibleActions,
  hasChanges,
  summaryCounts,
  scopeNote,
  noChangesLine,
  waitedFor,
  waitsForPromotion,
  formatInt,
  stagedSteps,
  stagedWords,
} from './plan-common.js';
import { visibleIn } from './diagnostics.js';
import { oneLine, visible, visibleName } from '../util/escapes.js';
import { plain, type Style } from './style.js';
import { textDiff, type DiffLine } from './textdiff.js';
import type { Plan, PlanAction, PlanProblem } from '../plan/types.js';

export interface TextRenderOptions {
  style?: Style;
  /** Show unchanged resources too (hidden by default). */
  showNoop?: boolean;
  /** The prompts directory, for the "no changes" line. */
  dir?: string;
}

const INDENT = '    ';

export function renderText(plan: Plan, opts: TextRenderOptions = {}): string {
  const style = opts.style ?? plain;
  const lines: string[] = [];
  // The target and git labels come from a saved file too (`show`), which anyone can write.
  // Line breaks too: a target label with one would print a line of its own (a forged summary).
  const git = visibleName(gitLabel(plan));
  lines.push(style('bold', `Plan for ${visibleName(plan.target)}`) + (git ? style('dim', ` · ${git}`) : ''));
  const scope = scopeNote(plan);
  if (scope) lines.push(style('yellow', scope));
  lines.push('');

  // In the order apply runs them: a priority swap's staged steps before anything else.
  const staged = stagedSteps(plan);
  for (const st of staged) lines.push(`  ${style('yellow', '» stage')} ${style('bold', visibleName(st.address))} ${style('dim', stagedWords(st))}`);
  const actions = visibleActions(plan, opts.showNoop ?? false).map(printable);
  for (const a of actions) {
    lines.push(...renderAction(a, style));
  }
  if (actions.length > 0 || staged.length > 0) lines.push('');

  // Messages, rules and reasons on one line each: a saved file's (`show`) are anyone's to write,
  // and a line break in one would print a line of its own (a forged action or summary).
  if (plan.problems.length > 0) {
    // Gaps the merge closes only (DESIGN §6): the plan waits, as the markdown plan says; git holds nothing to fix.
    const waiting = plan.problems.every(waitsForPromotion);
    const n = plan.problems.length;
    lines.push(
      waiting
        ? style('yellow', style('bold', `Waiting for promotion (${formatInt(n)}) — this plan can be applied once ${oneLine(waitedFor(plan.problems))} has run ${n === 1 ? 'it' : 'them'}:`))
        : style('red', style('bold', `Problems (${formatInt(n)}) — this plan cannot be applied:`)),
    );
    for (const p of plan.problems.map(visibleIn)) {
      lines.push(`  ${style('red', '✗')} ${style('bold', visibleName(p.address))}${whereIn(p, style)} ${style('dim', `[${oneLine(p.rule)}]`)}`);
      lines.push(`${INDENT}${oneLine(p.message)}`);
      const patch = problemPatch(p);
      if (patch) {
        patch
          .replace(/\n$/, '')
          .split('\n')
          .forEach((l, i) => lines.push(INDENT + colourPatchLine(l, i < 2, style)));
      }
    }
    lines.push('');
  }

  const warnings = plan.warnings ?? [];
  if (warnings.length > 0) {
    lines.push(style('yellow', style('bold', `Warnings (${formatInt(warnings.length)}):`)));
    for (const w of warnings.map(visibleIn)) {
      lines.push(`  ${style('yellow', '!')} ${style('bold', visibleName(w.address))}${whereIn(w, style)} ${style('dim', `[${oneLine(w.rule)}]`)}`);
      lines.push(`${INDENT}${oneLine(w.message)}`);
    }
    lines.push('');
  }

  if (plan.unmanaged.length > 0) {
    lines.push(style('bold', `Left alone (${formatInt(plan.unmanaged.length)}):`));
    for (const u of plan.unmanaged.map(visibleIn)) lines.push(`  ${style('dim', '·')} ${visibleName(u.address)} ${style('dim', `— ${oneLine(u.reason)}`)}`);
    lines.push('');
  }

  lines.push(summaryLine(plan, opts.dir ?? 'prompts/', style));
  return lines.join('\n') + '\n';
}

/** Where in git a problem or warning is, as validate says it (file:line:column), when the plan knows. */
function whereIn(p: PlanProblem, style: Style): string {
  return p.file ? ` ${style('dim', `(${visibleName(p.file)}:${p.line}:${p.column})`)}` : '';
}

/**
 * The action with what this view prints of it made visible: names, reasons and values can come
 * from the live org (a guide named by hand), and their control characters must not reach the
 * reader's terminal. Bodies are not printed and prompt text is escaped by textDiff, so neither is
 * copied (a large plan's bodies are most of its size); a text's field name is.
 */
function printable(a: PlanAction): PlanAction {
  const p = { ...a, address: visibleName(a.address), changes: visibleIn(a.changes) };
  if (p.reason !== undefined) p.reason = oneLine(p.reason);
  if (p.affects !== undefined) p.affects = visibleIn(p.affects).map((x) => ({ ...x, address: visibleName(x.address) }));
  if (p.action === 'create' && p.supersedes !== undefined) p.supersedes = visible(p.supersedes);
  if (p.tokens !== undefined) p.tokens = visibleIn(p.tokens);
  if (p.text !== undefined) p.text = p.text.map((t) => ({ ...t, field: visible(t.field) }));
  return p;
}

export function summaryLine(plan: Plan, dir: string, style: Style = plain): string {
  const problems = plan.problems.length;
  if (!hasChanges(plan) && problems === 0) {
    return style('green', noChangesLine(plan, dir, { listed: 'above' }));
  }
  let line = style('bold', `Plan: ${summaryCounts(plan)}.`);
  // A promotion gap is not fixed in git: applying the environment before this one (named) closes it.
  const waiting = plan.problems.filter(waitsForPromotion).length;
  const blocking = problems - waiting;
  if (blocking > 0) line += ' ' + style('red', `${formatInt(blocking)} problem${blocking === 1 ? '' : 's'} must be fixed before apply.`);
  if (waiting > 0) line += ' ' + style('yellow', `${formatInt(waiting)} wait${waiting === 1 ? 's' : ''} for promotion: apply this commit to ${oneLine(waitedFor(plan.problems))} first.`);
  return line;
}

function renderAction(a: PlanAction, style: Style): string[] {
  const out: string[] = [];
  const color = ACTION_STYLE[a.action];
  const verb = actionVerb(a);
  let head = `  ${style(color, `${SYMBOL[a.action]} ${verb}`)} ${style('bold', a.address)}${style('dim', supersedesNote(a))}`;
  if (a.destructive) head += ' ' + style('red', '⚠ destructive');
  out.push(head);
  if (a.reason) out.push(INDENT + style('dim', a.reason));
  if (a.action === 'noop') return out;

  for (const c of a.changes) {
    if (a.text?.some((t) => t.field === c.path)) continue; // shown as a text diff below
    if (c.before === undefined && c.after === undefined) continue;
    if (isStructured(c.before) || isStructured(c.after)) {
      const sign = c.before === undefined ? style('green', '+') : c.after === undefined ? style('red', '-') : style('yellow', '~');
      out.push(`${INDENT}${sign} ${formatPath(c.path)}:`);
      for (const l of blockDiff(c.before, c.after)) {
        out.push(`${INDENT}    ${l.kind === 'add' ? style('green', `+ ${l.text}`) : l.kind === 'del' ? style('red', `- ${l.text}`) : style('dim', `  ${l.text}`)}`);
      }
      continue;
    }
    if ((a.action === 'create' && !a.supersedes) || c.before === undefined) {
      out.push(`${INDENT}${style('green', '+')} ${formatPath(c.path)}: ${formatValue(c.after)}`);
    } else if (c.after === undefined) {
      out.push(`${INDENT}${style('red', '-')} ${formatPath(c.path)}: ${formatValue(c.before)}`);
    } else {
      out.push(`${INDENT}${style('yellow', '~')} ${formatPath(c.path)}: ${formatValue(c.before)} → ${formatValue(c.after)}`);
    }
  }
  if (a.tokens) out.push(INDENT + style('cyan', tokenLine(a.tokens)));
  for (const x of a.affects ?? []) out.push(`${INDENT}${style('cyan', `${x.address}: ${tokenLine(x.tokens)}`)}`);
  for (const t of a.text ?? []) {
    const d = textDiff(t.before, t.after);
    out.push(`${INDENT}${style('bold', t.field)}:${d.replaced ? style('dim', ' (too different to diff: shown replaced)') : ''}`);
    for (const l of d.lines) out.push(INDENT + '  ' + colourDiffLine(l, style));
  }
  return out;
}

function colourDiffLine(l: DiffLine, style: Style): string {
  switch (l.kind) {
    case 'add':
      return style('green', '+' + l.text);
    case 'del':
      return style('red', '-' + l.text);
    case 'hunk':
      return style('cyan', l.text);
    case 'note':
      return style('dim', l.text);
    case 'ctx':
      return style('dim', ' ' + l.text);
  }
}

/**
 * `header`: one of the patch's two first lines (`--- live/…`, `+++ git/…`). Only they are: a
 * removed line `--` or `---` (a markdown rule) starts `---` too, and is a removal.
 */
function colourPatchLine(l: string, header: boolean, style: Style): string {
  if (header || l.startsWith('# ')) return style('bold', l);
  if (l.startsWith('+')) return style('green', l);
  if (l.startsWith('-')) return style('red', l);
  if (l.startsWith('@@')) return style('cyan', l);
  return l;
}
