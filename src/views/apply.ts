// How apply talks to the person running it: one line per action, a bar on a TTY, a summary.
import { SYMBOL } from './plan-common.js';
import type { ActionOutcome, ApplyEvent, ApplyResult } from '../apply/executor.js';
import type { Style } from './style.js';
import { groupThousands } from '../util/numbers.js';
import { oneLine, visibleName } from '../util/escapes.js';

/** An address and a detail as a terminal line shows them: a live name is anything its org holds, a detail quotes the server. */
const shownAddress = (a: { address: string }): string => visibleName(a.address);
const shownDetail = (d: string): string => oneLine(d);

/**
 * What a success line adds when the success was known only by reading the org back (its record's
 * `confirmedBy: "read"`): another apply making the same write at once would read the same.
 */
export function confirmedNote(result: Pick<ActionOutcome, 'confirmedBy'>): string {
  return result.confirmedBy === 'read' ? ' (its answer was lost; found applied by reading it back)' : '';
}

export interface ProgressWriter {
  onProgress(event: ApplyEvent): void;
  /** Removes the bar, if one is drawn. */
  end(): void;
}

/**
 * Writes one line per finished action to `write` (stderr). With `tty`, keeps a progress bar
 * on the last line, redrawn after each line and erased at the end, through `inPlace` (cli/context.ts:
 * a notice said meanwhile, a retry or a wait for the rate limit's next window, then takes its own
 * line instead of running on from the bar's end).
 */
export function progressWriter(
  write: (s: string) => void,
  opts: { tty: boolean; style: Style; width?: number; inPlace: (text: string | undefined) => void },
): ProgressWriter {
  const drawBar = opts.inPlace;
  const clear = (): void => drawBar(undefined);
  return {
    onProgress(event) {
      if (event.type === 'staged') {
        clear();
        write(`${opts.style('yellow', '~')} ${shownAddress(event.result.action)} ${shownDetail(event.result.detail)}${confirmedNote(event.result)}\n`);
        return;
      }
      if (event.type !== 'finish') return;
      const { result, completed, total } = event;
      const a = result.action;
      clear();
      if (result.outcome === 'success') {
        const colour = a.action === 'create' ? 'green' : a.action === 'delete' ? 'red' : 'yellow';
        write(`${opts.style(colour, SYMBOL[a.action])} ${shownAddress(a)} ${shownDetail(result.detail)}${confirmedNote(result)}\n`);
      } else {
        // Stopped between its calls by an interrupt: not a failure of the target.
        const label = result.interrupted ? 'interrupted' : result.outcome === 'conflict' ? 'conflict' : 'failed';
        const colour = result.interrupted ? 'yellow' : 'red';
        // Partly done: what landed and what is not known are said once, under "Partly done:".
        const said = result.partly ? `${result.partly.before ? ` before ${shownDetail(result.partly.before)}` : ''}: partly done (listed at the end)` : `: ${shownDetail(result.detail)}`;
        write(`${opts.style(colour, result.interrupted ? '~' : '!')} ${shownAddress(a)} ${opts.style(colour, label)}${said}\n`);
      }
      if (opts.tty && completed < total) drawBar(bar(completed, total, opts.width ?? 30));
    },
    end: clear,
  };
}

export function bar(done: number, total: number, width: number): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${groupThousands(done)}/${groupThousands(total)}`;
}

/**
 * The closing lines of an apply whose interrupt came once its last change had started: each
 * finished, so nothing is left to do, and it says so (its exit status is still the interrupt's).
 */
export function interruptedAfterAllLines(result: ApplyResult, style: Style): string[] {
  return [style('yellow', `Apply interrupted: ${tallyOf(result)}; every change had started, and each finished: nothing is left to do.`), ...doneLines(result)];
}

/** "1,204 created, 0 updated, 3 deleted": grouped as the plan's summary line counts them. */
function tallyOf(result: ApplyResult): string {
  const { created, updated, deleted } = result.counts;
  return `${groupThousands(created)} created, ${groupThousands(updated)} updated, ${groupThousands(deleted)} deleted`;
}

/**
 * How many lines each list of a stopped apply shows before "… and N more": an interrupted apply of
 * a large org listed every change done and not started after its summary, thousands of lines the
 * progress had already shown (a review). The audit trail records each change done; the next plan
 * shows what is left.
 */
export const LISTED_PER_PART = 20;

/** The first LISTED_PER_PART of `items` as lines, then one saying how many more and where they are. */
export function listed<T>(items: readonly T[], line: (item: T) => string, where: string): string[] {
  const shown = items.slice(0, LISTED_PER_PART).map(line);
  const more = items.length - shown.length;
  return more > 0 ? [...shown, `  … and ${groupThousands(more)} more (${where})`] : shown;
}

/** What an apply that stopped early did, one line a change (the first LISTED_PER_PART). */
function doneLines(result: ApplyResult): string[] {
  if (result.succeeded.length === 0) return [];
  return ['Done:', ...listed(result.succeeded, (s) => `  ${SYMBOL[s.action.action]} ${shownAddress(s.action)} ${shownDetail(s.detail)}${confirmedNote(s)}`, 'the audit trail records each')];
}

/**
 * The closing lines of an apply; the first says whether it worked.
 * `planCommand`: how to plan this target again (`promptctl plan --env prod`), said after a conflict.
 * `saved`: the plan file applied (`out`: where to save it again, when not the file: a plan piped in), with how to apply it; after a stop its plan is out of date (what
 * landed is no longer to do), so finishing takes a new plan file, not the same command again.
 */
export function summaryLines(result: ApplyResult, style: Style, planCommand = 'promptctl plan', saved?: { file: string; apply: string; out?: string }): string[] {
  const tally = tallyOf(result);
  if (result.ok) return [style('green', `Apply complete: ${tally}.`)];
  const conflict = result.failed.some((f) => f.outcome === 'conflict');
  // Actions an interrupt stopped between their calls: part of each landed.
  const cut = result.partial.filter((p) => p.interrupted === 'midway');
  const partly = cut.length > 0 ? `${groupThousands(cut.length)} partly done, ` : '';
  const head = result.interrupted
    ? `Apply interrupted: ${tally}; ${groupThousands(result.failed.length)} failed, ${partly}${groupThousands(result.notStarted.length)} not started.`
    : `Apply failed: ${tally}; ${groupThousands(result.failed.length)} failed, ${partly}${groupThousands(result.notStarted.length)} not started.`;
  const lines = [style(result.interrupted ? 'yellow' : 'red', head), ...doneLines(result)];
  if (result.failed.length > 0) lines.push('Failed:');
  for (const f of result.failed) {
    // Once: an API error's own words already end with it.
    const corr = f.correlationId && !f.detail.includes(f.correlationId) ? ` (correlation id ${f.correlationId})` : '';
    lines.push(`  ! ${shownAddress(f.action)}: ${shownDetail(f.detail)}${corr}`);
  }
  if (cut.length > 0) lines.push('Partly done:');
  for (const c of cut) lines.push(`  ~ ${shownAddress(c.action)}: ${shownDetail(c.partly ? partlyDone(c.partly) : c.detail)}`);
  if (result.notStarted.length > 0) {
    const interim = new Set(result.partial.map((p) => p.action.address));
    lines.push('Not started:');
    // Those left at an interim priority first: each needs its re-run said.
    const ordered = [...result.notStarted.filter((a) => interim.has(a.address)), ...result.notStarted.filter((a) => !interim.has(a.address))];
    lines.push(
      ...listed(ordered, (a) => `  ${SYMBOL[a.action]} ${shownAddress(a)}${interim.has(a.address) ? ' (left at its interim priority; a re-run finishes it)' : ''}`, 'the next plan shows what is left'),
    );
  }
  // Of the changes partly done, those whose last write is not confirmed: the next apply records how each ended.
  const unconfirmed = cut.filter((c) => c.outcomeUnknown).length;
  const onRecord = unconfirmed === 0 ? 'Every change made is on record' : `Every change made is on record, ${groupThousands(unconfirmed)} of them not confirmed`;
  const settles = unconfirmed === 0 ? '' : `, and records how ${unconfirmed === 1 ? 'that one' : 'those'} ended`;
  lines.push(
    conflict
      ? `The target changed since the plan was made: run \`${planCommand}\` again, review, then apply.`
      : saved
        ? `${result.interrupted ? onRecord : 'Nothing was rolled back. Fix the cause'}; ${saved.file} is out of date now. To finish, run \`${planCommand} --out ${saved.out ?? saved.file}\` again, review it, then \`${saved.apply}\`: it picks up where this one stopped${settles}.`
        : result.interrupted
          ? `${onRecord}. Run apply again to finish: it picks up where this one stopped${settles}.`
          : 'Nothing was rolled back. Fix the cause and run apply again: it picks up where this one stopped.',
  );
  return lines;
}

/** "created version 2.1.0, started publishing it; whether it is published is not known yet": what landed and what is unknown, no what-next. */
function partlyDone(p: NonNullable<ActionOutcome['partly']>): string {
  const done = p.done.length > 0 ? p.done.join(', ') : 'an earlier call of it changed the target';
  return p.unknown ? `${done}; ${p.unknown} is not known yet` : done;
}

/** An apply expected to take at least this long says so before it starts. */
export const LONG_APPLY_MS = 10_000;

/**
 * "This apply makes about 6,080 requests: about 20 min at the target's rate (300 requests per
 * 60 s)." Undefined for a short apply.
 */
export function expectedDurationLine(requests: number, durationMs: number, budget: { allowed: number; windowMs: number }): string | undefined {
  if (!(durationMs >= LONG_APPLY_MS)) return undefined;
  const window = `${groupThousands(budget.allowed)} requests per ${roughly(budget.windowMs)}`;
  return `This apply makes about ${groupThousands(requests)} requests: about ${roughly(durationMs)} at the target's rate (${window}).`;
}

/**
 * After a long apply, how long it took, beside what was expected before it started (retries,
 * waits for a busy org and slow publish jobs are what the expectation cannot know).
 */
export function tookLine(elapsedMs: number, expectedMs: number | undefined): string | undefined {
  if (!(elapsedMs >= LONG_APPLY_MS)) return undefined;
  return `The apply took ${roughly(elapsedMs)}${expectedMs !== undefined && expectedMs >= LONG_APPLY_MS ? ` (about ${roughly(expectedMs)} was expected at the target's rate)` : ''}.`;
}

/** 45 s, 3 min, 1 h 20 min: as exact as a guess deserves. */
export function roughly(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 90) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 90) return `${min} min`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}
