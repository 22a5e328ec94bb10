// promptctl run TEMPLATE[@VERSION]: one invocation of a template on the target. The answer is
// streamed to stdout as it arrives (Server-Sent Events); usage, cost, latency and the safety
// filters' verdicts follow on stderr. `--format json`: the whole result as one JSON document.
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { GatewayApi, InvocationStreamEvent } from '../targets/llmgateway/api.js';
import type { BlockedRoute, BlockedSpend, InvocationRequest, InvocationSummary, VariableValue, WireTemplate } from '../targets/llmgateway/wire.js';
import { ApiError } from '../genesys/errors.js';
import { countingShown } from '../targets/llmgateway/runtime.js';
import { RESOURCE_NAME } from '../model/address.js';
import { unkeyedStickyRoutes } from '../model/routing.js';
import { unlessAborted } from '../util/abort.js';
import { EXIT, InterruptedAfterError, UserError } from '../util/errors.js';
import { checkVersionLabel } from '../util/semver.js';
import { announceTarget, DEFAULT_DIR, jsonFailureOnFormat, learnConfiguredSecrets, noSuchTemplate, notAppliedYet, withTarget } from './common.js';
import type { CliContext } from './context.js';
import { Interrupt } from './interrupt.js';
import { setEntry } from '../util/entries.js';
import { embeddedModels, servedTemplates } from './target.js';
import { usd } from '../views/table.js';
import { answerStream } from '../views/run-answer.js';
import { oneLine, visibleName } from '../util/escapes.js';
import { regexLiteral } from '../util/regex-literal.js';
import { declaredVariables, refuseVariables, typedValue } from './run-variables.js';
import { blockedRoute, blockedSpend, blockingFilter } from '../evals/calls.js';

// What tests read from here, where it was defined before run-variables.ts held it.
export { declaredVariables, typedValue } from './run-variables.js';

interface RunFlags {
  /** The prompts directory (added with --env): its Config's models, for the embedded emulator. */
  dir?: string;
  /** Absent when none is given (no default: --help would print "(default: [])"). */
  var?: string[];
  routingKey?: string;
  format: 'text' | 'json';
}

export function registerRun(program: Command, ctx: CliContext): void {
  program
    .command('run')
    .description('invoke a template once on the target: the answer streams to stdout, usage, cost, latency and filters follow on stderr')
    .argument('<template>', 'TEMPLATE, or TEMPLATE@VERSION to bypass the traffic split')
    .option('--var <name=value>', 'a variable of the template (repeat for more)', (v: string, all: string[] | undefined) => [...(all ?? []), v])
    .option('--routing-key <key>', 'the key a sticky split hashes to pick a version')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    // With json, stdout is a document even when the call fails (a block by a filter): {error, diagnostics}.
    .on('option:format', jsonFailureOnFormat(ctx))
    .action(async (spec: string, flags: RunFlags, cmd: Command) => {
      // Without --dir, run needs no prompts directory; a --dir given must be one (a typo would
      // silently leave out its Config's models).
      if (cmd.getOptionValueSource('dir') === 'cli' && flags.dir !== undefined) await givenDirectory(ctx, flags.dir);
      ctx.exitCode = await runRun(ctx, spec, flags);
    });
}

/** A --dir the user gave is a directory, checked as validate, tokens and drift check theirs (load/project.ts). */
async function givenDirectory(ctx: CliContext, dir: string): Promise<void> {
  const { assertDirectory } = await import('../load/project.js');
  await assertDirectory(resolve(ctx.cwd, dir), dir, ctx.cwd);
}

/** "billing-assistant@1.1.0" → name and version. */
export function parseTemplateSpec(spec: string): { template: string; version?: string } {
  const at = spec.lastIndexOf('@');
  const template = at === -1 ? spec : spec.slice(0, at);
  const version = at === -1 ? undefined : spec.slice(at + 1);
  if (!RESOURCE_NAME.test(template)) {
    throw new UserError(`"${template}" is not a template name (lowercase letters, digits and hyphens, 3 to 128 characters); give TEMPLATE or TEMPLATE@VERSION`);
  }
  // validate's own check: a label no PromptVersion may declare (01.0.0) is refused before any call.
  const problem = version === undefined ? undefined : checkVersionLabel(version, undefined);
  if (problem) throw new UserError(`${problem.message}; give TEMPLATE or TEMPLATE@VERSION`);
  return version === undefined ? { template } : { template, version };
}

/** `--var name=value` pairs, in order; a name given twice is refused. */
export function parseVars(pairs: readonly string[]): Map<string, string> {
  const vars = new Map<string, string>();
  for (const p of pairs) {
    const eq = p.indexOf('=');
    const name = eq === -1 ? '' : p.slice(0, eq).trim();
    if (eq === -1 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UserError(`--var ${JSON.stringify(p)}: write it as name=value`);
    if (vars.has(name)) throw new UserError(`--var ${name} is given twice`);
    vars.set(name, p.slice(eq + 1));
  }
  return vars;
}

export async function runRun(ctx: CliContext, spec: string, flags: RunFlags): Promise<number> {
  const target = parseTemplateSpec(spec);
  const raw = parseVars(flags.var ?? []);
  if (flags.routingKey === '') throw new UserError('--routing-key is empty: give the key a sticky split hashes (a customer or conversation id)');
  await announceTarget(ctx, flags.dir ?? DEFAULT_DIR);
  const configRead = await learnConfiguredSecrets(ctx, flags.dir ?? DEFAULT_DIR);
  const models = await embeddedModels(ctx, flags.dir ?? DEFAULT_DIR, configRead);
  // First interrupt: the call (or its stream) is cut off, what was printed stays, exit 130. Heard
  // until the target has closed: one while it closes, after the result was printed, is said as one
  // after the whole answer arrived (not the process's bare `interrupted`).
  const interrupt = new Interrupt(ctx, { again: 'interrupted again: exiting now' });
  return interrupt.during(async (signal) => {
    const code = await withTarget(ctx, ({ api }) => invokeOnce(ctx, api, target, raw, flags, interrupt, signal), { readOnlyWhileAbsent: true, ...(models ? { models } : {}) }).catch((err: unknown) => {
      // An error met before an interrupt that came while the target closed (a refusal, the target's
      // 400 or 500): still said, then the interrupt, whose exit code wins (DESIGN §5).
      throw interrupt.interrupted ? new InterruptedAfterError(err, 'interrupted: the run had already failed (the error above); nothing more was done') : err;
    });
    return code === EXIT.ok ? completedCode(ctx, interrupt) : code;
  });
}

/** The call `run` makes and what it prints, hearing the user's interrupt on `signal`. */
async function invokeOnce(
  ctx: CliContext,
  api: GatewayApi,
  target: { template: string; version?: string },
  raw: ReadonlyMap<string, string>,
  flags: RunFlags,
  interrupt: Interrupt,
  signal: AbortSignal,
): Promise<number> {
  // The lookup is not waited for after an interrupt: cut off like the call it comes before.
  let template: WireTemplate;
  try {
    template = await unlessAborted(findTemplate(ctx, api, target.template, flags.dir ?? DEFAULT_DIR), signal);
  } catch (err) {
    if (!interrupt.interrupted) throw err;
    ctx.info(`interrupted while looking up template ${JSON.stringify(target.template)}: no call was made${flags.format === 'json' ? '; nothing was written' : ''}`);
    return EXIT.interrupted;
  }
  // A pinned version the target lacks that git defines: the apply that creates it, not an unknown label.
  if (target.version !== undefined && template.versions !== undefined && !template.versions.some((v) => v.version === target.version)) {
    const notYet = await notAppliedYet(ctx, flags.dir ?? DEFAULT_DIR, target.template, target.version);
    if (notYet) throw notYet;
  }
  const declared = declaredVariables(template, target.version, raw);
  if (target.version === undefined) {
    const hint = stickyHint(template, flags, raw) ?? unusedKeyHint(template, flags);
    if (hint) ctx.info(hint);
  } else if (flags.routingKey !== undefined) {
    ctx.info(`note: --routing-key picks a version of a sticky split; this call names version ${visibleName(target.version)}, so the key routes nothing`);
  }
  const variables: Record<string, VariableValue> = {};
  for (const [name, value] of raw) setEntry(variables, name, typedValue(name, value, declared.get(name)));
  refuseVariables(template, target.version, variables);
  const request: InvocationRequest = {
    template: template.name,
    ...(target.version !== undefined ? { version: target.version } : {}),
    ...(flags.routingKey !== undefined ? { routingKey: flags.routingKey } : {}),
    variables,
  };
  const t0 = performance.now();
  if (flags.format === 'json') {
    let result;
    try {
      result = await blockedAsUserError(ctx, request, () => api.invoke(request, { signal }));
    } catch (err) {
      if (!interrupt.interrupted) throw err;
      // The document is the whole result or nothing: nothing is written.
      ctx.info('interrupted: the call was cut off; nothing was written');
      return EXIT.interrupted;
    }
    // Masked in its string values (as it is encoded: a secret's JSON escape is its value's), never a key or a literal.
    ctx.outDocument({ kind: 'json', text: JSON.stringify(result, null, 2) });
    for (const l of summaryLines(result, performance.now() - t0)) ctx.info(l);
    return completedCode(ctx, interrupt);
  }
  // Secrets are masked as the text streams: the masker holds back what may be the start of one.
  // Then, on a terminal, the answer's control characters are made visible (a pipe gets it as it came).
  const masker = ctx.streamMasker();
  const answer = answerStream(Boolean(ctx.io.stdout.isTTY));
  let printed = '';
  let arrived = 0;
  // Characters of the answer written, in all: what a stream cut short says the user saw.
  let written = 0;
  const print = (text: string): void => {
    const shown = answer.push(text);
    if (shown === '') return;
    ctx.io.stdout.write(shown);
    printed += shown;
    written += shown.length;
  };
  const flush = (): void => {
    const shown = answer.end();
    if (shown === '') return;
    ctx.io.stdout.write(shown);
    printed += shown;
    written += shown.length;
  };
  let done: InvocationSummary | undefined;
  try {
    await blockedAsUserError(
      ctx,
      request,
      async () => {
        for await (const ev of api.invokeStream(request, { signal }) as AsyncIterable<InvocationStreamEvent>) {
          if (ev.type === 'delta') {
            arrived += ev.text.length;
            print(masker.push(ev.text));
          } else done = ev.result;
        }
      },
      () => {
        // What arrived before a failure (or the interrupt) stays on screen, on a line of its own,
        // less a tail that may be the first characters of a secret that was still arriving.
        print(masker.cut());
        flush();
        if (printed && !printed.endsWith('\n')) ctx.io.stdout.write('\n');
        printed = '';
      },
    );
  } catch (err) {
    // The count of a stream cut short is of what was shown: a withheld tail never was.
    if (!interrupt.interrupted) throw err instanceof ApiError ? countingShown(err, written) : err;
    // Counted as shown, as a dropped stream's error counts: a withheld tail never was.
    ctx.info(
      written > 0
        ? `interrupted: the answer above is incomplete (${written} characters shown)`
        : `interrupted: the call was cut off before any of the answer ${arrived > 0 ? 'was shown' : 'arrived'}`,
    );
    return EXIT.interrupted;
  }
  print(masker.end());
  flush();
  if (!printed.endsWith('\n')) ctx.io.stdout.write('\n');
  if (done) for (const l of summaryLines(done, performance.now() - t0)) ctx.info(l);
  return completedCode(ctx, interrupt);
}

/**
 * The exit code of a run whose answer arrived whole: 0, or 130 when an interrupt came meanwhile
 * (DESIGN §4), said as `test` says it: a cancelled CI job must not look like a finished one.
 */
function completedCode(ctx: CliContext, interrupt: Interrupt): number {
  if (!interrupt.interrupted) return EXIT.ok;
  ctx.info('interrupted: the whole answer had arrived, so the result above is complete');
  return EXIT.interrupted;
}

/**
 * The template `name` on the target; refused when absent: an empty org with the apply of this
 * run's --env and --dir (`dir`), one git defines with the plan and apply that create it.
 */
async function findTemplate(ctx: CliContext, api: GatewayApi, name: string, dir: string): Promise<WireTemplate> {
  const found = (await servedTemplates(api, { name, expand: ['versions', 'traffic'] }, 'run')).find((t) => t.name === name);
  if (found) return found;
  throw await noSuchTemplate(ctx, dir, name, (await api.listTemplates()).map((t) => t.name));
}


/**
 * A line when a sticky split will route the call at random: no --routing-key, and no value for
 * the variable the split names as its sticky key (README: "`--routing-key` for a sticky split").
 */
function stickyHint(t: WireTemplate, flags: RunFlags, given: ReadonlyMap<string, string>): string | undefined {
  const split = t.traffic;
  const routes = unkeyedStickyRoutes(split, flags.routingKey, given);
  if (!split || !routes) return undefined;
  const shares = routes.map((r) => `${visibleName(r.version)} ${r.weight}%`).join(', ');
  const on = split.stickyKey !== undefined ? visibleName(split.stickyKey) : undefined;
  return `note: the split of ${t.name} is sticky${on ? ` (on ${on})` : ''}, but no --routing-key was given, so this call goes to a version drawn at random (${shares}); give --routing-key KEY (${on ? `a ${on}` : 'a customer or conversation id'}) to get the version that key always gets`;
}

/** A line when --routing-key is given and no sticky split routes the call: the key picks nothing. */
function unusedKeyHint(t: WireTemplate, flags: RunFlags): string | undefined {
  if (flags.routingKey === undefined || t.traffic?.strategy === 'sticky') return undefined;
  const why = t.traffic
    ? `the split of ${t.name} is random (${t.traffic.routes.map((r) => `${visibleName(r.version)} ${r.weight}%`).join(', ')}), so the key routes nothing: this call goes to a version drawn at random`
    : `${t.name} has no traffic split (its newest published version answers every call), so the key routes nothing`;
  return `note: --routing-key picks a version of a sticky split; ${why}`;
}

/**
 * A block by a safety filter is the answer to this request, not a failure of promptctl: said
 * plainly, after the version a call the split routed went to and what the call spent, when the
 * refusal says them (a block on the output: the model ran and was billed).
 */
async function blockedAsUserError<T>(ctx: CliContext, request: InvocationRequest, fn: () => Promise<T>, onError?: () => void): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    onError?.();
    if (err instanceof ApiError && err.code === 'content.blocked') {
      const routed = request.version === undefined ? blockedRouteLine(blockedRoute(err.body)) : undefined;
      if (routed) ctx.info(routed);
      const spent = blockedSpentLine(blockedSpend(err.body));
      if (spent) ctx.info(spent);
      throw new UserError(blockedMessage(blockingFilter(err.body), oneLine(err.body?.message ?? err.message)));
    }
    if (err instanceof ApiError && err.code === 'invalid.variables') {
      const why = oneLine(err.body?.message ?? err.message);
      // The hint is for a variable left out; a value of the wrong kind says itself what it wants.
      throw new UserError(`the template refused the variables: ${why}${/missing|required/i.test(why) ? ' (give them with --var name=value)' : ''}`);
    }
    throw err;
  }
}

/**
 * A block in one line that names the filter once. The server's message usually names it already
 * ("The request was blocked by safety filter X: phishing scored 0.96 …"): that opening is dropped
 * and said in our words; a message that does not name it gets the name before it.
 */
export function blockedMessage(filter: string | undefined, why: string): string {
  if (filter === undefined) return `blocked: ${why}`;
  const name = visibleName(filter);
  const lead = `blocked by safety filter ${name}`;
  const opening = new RegExp(`^(?:the \\w+ (?:was|is) )?blocked by (?:the )?(?:safety )?filter ["'“]?${regexLiteral(name)}["'”]?(?:\\s*[:.;,]\\s*|\\s+|$)`, 'i');
  const rest = why.replace(opening, '');
  if (rest !== why) return rest ? `${lead}: ${rest}` : lead;
  // Worded otherwise: said as it is when it names the filter, after its name when it does not.
  return why.includes(name) ? `blocked: ${why}` : `${lead}: ${why}`;
}

/** The version a call that named none was routed to, when its refusal says it (as the summary's first line names it). */
export function blockedRouteLine(route: BlockedRoute): string | undefined {
  return route.version !== undefined ? `version ${visibleName(route.version)}: the call was routed there, then blocked` : undefined;
}

/** What a blocked call spent, in the words of the summary's tokens and cost; nothing when its refusal says nothing. */
export function blockedSpentLine(spent: BlockedSpend): string | undefined {
  const u = spent.usage;
  const parts = [
    ...(u ? [`tokens ${u.totalTokens} (${u.promptTokens} prompt + ${u.completionTokens} completion)`] : []),
    ...(spent.costUsd !== undefined ? [`cost ${usd(spent.costUsd)}`] : []),
  ];
  return parts.length ? `${parts.join(' · ')}: spent, though a filter blocked the answer (the model had run)` : undefined;
}

/** What followed the answer, on stderr. Its names are the target's text: their control characters are made visible, on a terminal or in a log read with `cat`. */
function summaryLines(r: InvocationSummary, wallMs: number): string[] {
  const u = r.usage;
  const cost = usd(r.costUsd);
  const did = (f: InvocationSummary['filters'][number]): string =>
    f.applied ? ({ block_and_log: 'blocked', redact_and_log: 'redacted', flag_and_pass: 'flagged' } as Record<string, string>)[f.action] ?? visibleName(String(f.action)) : 'scored';
  const filters = r.filters.length ? r.filters.map((f) => `${visibleName(f.name)} ${did(f)} ${visibleName(f.category)} (score ${visibleName(String(f.score))})`).join('; ') : 'none acted';
  return [
    `version ${visibleName(r.version)} · model ${visibleName(r.model)} · finish ${visibleName(r.finishReason)}`,
    `tokens ${u.totalTokens} (${u.promptTokens} prompt + ${u.completionTokens} completion) · cost ${cost} · latency ${r.latencyMs} ms (model), ${Math.round(wallMs)} ms (total)`,
    `filters: ${filters}`,
  ];
}
