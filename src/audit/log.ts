// The audit writer (DESIGN §5): hash-chained JSON lines, written ahead. An `intent` record is
// durable before the call it announces is made, and its `outcome` follows; intents of earlier
// runs left without an outcome (a kill -9) are listed on open for the caller to resolve from
// live state. What a record says (scrubbed of secrets, copied from its intent) is decided here;
// the file, its chain check on open and the group commit are chain-file.ts's; whose intents are
// abandoned, abandoned.ts's; where each sink resumes, sink-cursor.ts's.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../util/errors.js';
import { shellWord } from '../util/escapes.js';
import type { LockOptions } from '../util/lock.js';
import type { NamedSecret } from '../util/secrets.js';
import { acquire, BrokenChainError, enqueue, release, type Build } from './chain-file.js';
import { ChainWalker, type LaterIntent, type LaterWrite } from './chain-walker.js';
import { refuseAbsent, unkeyedTrail } from './trail-refusals.js';
import {
  AUDIT_FORMAT,
  AUDIT_FORMAT_UNKNOWN_OUTCOME,
  AUDIT_KEY_ENV,
  MIN_AUDIT_KEY_LENGTH,
  recordLine,
  type AuditAnchor,
  type AuditContext,
  type AuditInput,
  type AuditIntentInput,
  type AuditJson,
  type AuditRecord,
  type AuditCiRun,
  type AuditRecovery,
  type AuditResult,
  type AuditRunId,
  type AuditSnapshot,
  type AuditState,
} from './record.js';
import { auditForms, knownSecrets, redactJson, redactValues, scrubMessage } from './scrub.js';
import { describeSinkUrl, sinkProblem, sinkQueue, type HttpAuditSink, type SinkOptions, type SinkResume } from './sink.js';
import { cursorsBeside, refuseCutOff, resumeSink } from './sink-cursor.js';
import { processStart } from '../util/process.js';
import { abandoned, runClosed, runOpened } from './abandoned.js';

export type {
  AuditAction,
  AuditAnchor,
  AuditChange,
  AuditCiRun,
  AuditConfirmation,
  AuditContext,
  AuditInput,
  AuditIntentInput,
  AuditOrg,
  AuditOutcome,
  AuditRecord,
  AuditRecoverer,
  AuditRecovery,
  AuditResult,
  AuditSnapshot,
  AuditState,
  CallOutcome,
  RecoveredOutcome,
} from './record.js';
export { AUDIT_KEY_ENV, formatAnchor, parseAnchor } from './record.js';
export { refuseAbsentTrail, UnkeyedTrailError } from './trail-refusals.js';

/** Where apply writes and `audit verify` looks, relative to the working directory, unless the config names another file. */
export const DEFAULT_AUDIT_FILE = '.promptctl/audit.jsonl';

/** An intent written on another host counts as abandoned once it is this old (its run cannot be asked). */
export const DEFAULT_ABANDON_AFTER_MS = 60 * 60_000;

export interface OpenAuditLogOptions {
  /** Config.audit.http. */
  sinks?: HttpAuditSink[];
  /** Where secrets (client secret, sink keys) and PROMPTCTL_AUDIT_KEY are looked up; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Environment variables that hold secrets (the target's OAuth client secret); sink keys and the audit key are added. */
  secretEnvs?: string[];
  now?: () => Date;
  /** Each warning as it happens; default: `warning: ...` on stderr. */
  onWarning?: (message: string) => void;
  /** More secrets that must never reach a record, in every form output masks them in (withEscapedForms). */
  secrets?: readonly NamedSecret[];
  /**
   * More secrets, asked for at each record: those a run learns after the trail is open (each
   * access token its clients are issued), in the same forms; a list is read again only when it is
   * another array.
   */
  learntSecrets?: () => readonly NamedSecret[];
  sinkOptions?: SinkOptions;
  /** The inter-process lock's stale bound and wait limit (defaults suit every real use). */
  lock?: LockOptions;
  /** See DEFAULT_ABANDON_AFTER_MS. */
  abandonAfterMs?: number;
  /**
   * The command a refusal (a broken chain) tells the user to check this trail with, as they would
   * type it: a CLI words it with the flags that choose this trail (its --env, its --dir), which this
   * module does not know. Default: `promptctl audit verify FILE`, the file named.
   */
  verifyCommand?: string;
  /**
   * With PROMPTCTL_AUDIT_KEY set, append to a trail none of whose records is keyed: the user says
   * they were written before the key was set. Without it such a trail is refused (UnkeyedTrailError).
   */
  allowUnkeyed?: boolean;
}

/**
 * The key is set and the trail holds records, none keyed: written before the key was set, or
 * re-chained by someone without it. Keyed records after them would vouch for them (their HMAC
 * covers the last one's hash), so a forgery would verify once the next routine apply had run.
 */

export interface AuditLog {
  /** Absolute path of the JSONL file. */
  readonly file: string;
  /** Everything that went wrong without losing a local record: tail repairs, sink failures. */
  readonly warnings: readonly string[];
  /** Records are chained with HMAC-SHA256 (PROMPTCTL_AUDIT_KEY is set). */
  readonly keyed: boolean;
  /** Records and batches this process has committed to the file (group-commit accounting). */
  readonly stats: { readonly records: number; readonly batches: number };
  /**
   * Intents of earlier runs (crashed, killed, or gone for longer than abandonAfterMs on another
   * host) that have no outcome, or an `unknown` one their run wrote, oldest first, as read when the
   * log opened (one a recovery settled as unknown is closed). Resolve each with `recover` after
   * reading live state. Intents of runs still going are never listed.
   */
  pendingIntents(): readonly AuditRecord[];
  /** The writes to an open intent's address that later intents made and saw succeed, oldest first (chain-walker.ts). */
  writtenSince(intent: AuditRecord): readonly LaterWrite[];
  /** Every later intent on an open intent's address, whatever its outcome (none yet included), oldest first (chain-walker.ts). */
  plannedSince(intent: AuditRecord): readonly LaterIntent[];
  /** Writes an intent; resolves once it is durable. Make the call only after that. */
  intent(input: AuditIntentInput): Promise<AuditRecord>;
  /** Writes the outcome of one of this log's intents (actor, plan, org, address, before copied from it). */
  outcome(intent: AuditRecord, result: AuditResult): Promise<AuditRecord>;
  /**
   * Settles an earlier run's intent (from pendingIntents) as `succeeded (recovered)`,
   * `not applied`, or `unknown` where what was read cannot tell (for good: the intent is closed,
   * an unknown outcome its run wrote before included). Resolves to null when another process
   * settled it first.
   */
  recover(intent: AuditRecord, recovery: AuditRecovery): Promise<AuditRecord | null>;
  /** One outcome record without an intent (`intent: null`); resolves once it is durable. */
  append(input: AuditInput): Promise<AuditRecord>;
  /** The last record of the chain as this process knows it (after close: as it closed); null for an empty trail. */
  head(): AuditAnchor | null;
  /** How many records this log has written (not another handle's or process's): whether head() is one of this run's. */
  written(): number;
  /** Waits for queued records and sink deliveries, then releases the file. */
  close(): Promise<void>;
}

export async function openAuditLog(file: string, opts: OpenAuditLogOptions = {}): Promise<AuditLog> {
  const env = opts.env ?? process.env;
  const now = opts.now ?? (() => new Date());
  const warnings: string[] = [];
  const onWarning = opts.onWarning ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
  const warn = (m: string): void => {
    warnings.push(m);
    onWarning(m);
  };

  const key = auditKey(env);
  const sinks: HttpAuditSink[] = [];
  for (const sink of opts.sinks ?? []) {
    const problem = sinkProblem(sink, env);
    if (problem) warn(`audit sink ${describeSinkUrl(sink.url)} disabled: ${problem}`);
    else sinks.push(sink);
  }
  const path = resolve(file);
  // Every sink's cursor goes aside with a trail set aside: one left behind refuses the new trail.
  const setAside = async (err: unknown): Promise<never> => {
    throw err instanceof BrokenChainError ? err.besides(await cursorsBeside(path, opts.sinks ?? [])) : err;
  };
  // No trail where a sink's cursor says it took records of one: refused before a file is begun.
  if (!existsSync(path)) await refuseAbsent(path, sinks, opts.sinks ?? []);
  // The environment's values in every form output masks them in, beside the caller's forms.
  const fixedValues = knownSecrets(env, [...(opts.secretEnvs ?? []), ...(opts.sinks ?? []).flatMap((s) => (s.secretEnv ? [s.secretEnv] : []))], key ? [key] : []);
  const fixedSecrets = auditForms(fixedValues, opts.secrets ?? []);
  // The fixed forms, plus any learnt since (a token), when a record is built.
  let secrets: readonly NamedSecret[] = fixedSecrets;
  let learntSeen: readonly NamedSecret[] | undefined;
  const learnt = opts.learntSecrets;
  const refreshSecrets = (): void => {
    const now = learnt?.();
    if (!now || now === learntSeen) return;
    learntSeen = now;
    secrets = now.length === 0 ? fixedSecrets : auditForms(fixedValues, [...(opts.secrets ?? []), ...now]);
  };

  const verify = opts.verifyCommand ?? `promptctl audit verify ${shellWord(path)}`;
  const shared = await acquire(path, key, warn, opts.lock ?? {}, verify).catch(setAside);
  const records = shared.walker.records;
  if (key !== null && records > 0 && shared.walker.keyed === 0 && opts.allowUnkeyed !== true) {
    await release(shared, warn);
    throw unkeyedTrail(shared.path, records);
  }
  // A trail cut off or emptied before the last record a sink took is refused, every sink's cursor
  // asked before any is moved on (a sink without one is given one at the trail's end).
  try {
    await refuseCutOff(shared.path, sinks, shared.walker.last, true, await cursorsBeside(shared.path, opts.sinks ?? []));
  } catch (err) {
    await release(shared, warn);
    throw err;
  }
  const started = processStart(process.pid);
  const run: AuditRunId = { id: randomUUID(), host: hostname(), pid: process.pid, ...(started ? { started } : {}) };
  runOpened(run.id);
  const abandonAfterMs = opts.abandonAfterMs ?? DEFAULT_ABANDON_AFTER_MS;
  // An intent of an `unknown` outcome waits like any other open one: a publish job that did not end
  // in time may still be running, and settled now it would be recorded as not applied.
  const pending = [...shared.walker.open.values()]
    .filter((i) => abandoned(i, now().getTime(), abandonAfterMs))
    .sort((a, b) => a.seq - b.seq);

  let closed = false;
  let written = 0;
  let finalHead: AuditAnchor | null = null;
  const inFlight = new Set<Promise<unknown>>();
  // Each sink resumes where the last record it took is: what earlier runs did not deliver goes first.
  // A trail cut off before a record a sink took is refused (resumeSink), as a broken chain is: the
  // file let go of, nothing written.
  const resumed = await Promise.allSettled(sinks.map((sink) => resumeSink(sink, shared.path, shared.size, shared.walker.last, warn)));
  const refused = resumed.find((r) => r.status === 'rejected');
  if (refused) {
    runClosed(run.id);
    await release(shared, warn);
    throw refused.reason;
  }
  const resumes = resumed.map((r) => (r as PromiseFulfilledResult<SinkResume>).value);
  const deliveries = sinks.map((sink, i) => sinkQueue(sink, env, opts.sinkOptions ?? {}, shared.path, warn, resumes[i]));
  const alg = key ? 'hmac-sha256' : 'sha256';

  const r = (s: string): string => redactValues(s, secrets);
  const rn = (s: string | null | undefined): string | null => (s == null ? null : r(s));
  const snapshot = (s: AuditState | null | undefined): AuditSnapshot | null =>
    s == null
      ? null
      : {
          version: typeof s.version === 'string' ? r(s.version) : (s.version ?? null),
          hash: rn(s.hash),
          content: s.content === undefined ? null : (redactJson(s.content, secrets) as AuditJson),
        };
  const ciRun = (ci: AuditCiRun): AuditCiRun => ({ runId: r(ci.runId), ...(ci.repository !== undefined ? { repository: r(ci.repository) } : {}) });
  const context = (c: AuditContext): Pick<AuditRecord, 'actor' | 'commit' | 'planId' | 'org' | 'environment' | 'dirty' | 'ci'> => ({
    actor: r(c.actor),
    commit: rn(c.commit),
    planId: r(c.planId),
    org: c.org ? { id: r(c.org.id), host: r(c.org.host) } : null,
    ...(c.environment != null ? { environment: r(c.environment) } : {}),
    ...(c.dirty ? { dirty: true as const } : {}),
    ...(c.ci ? { ci: ciRun(c.ci) } : {}),
  });
  const head = (seq: number, type: AuditRecord['type']) => ({
    format: AUDIT_FORMAT,
    seq,
    timestamp: now().toISOString(),
    type,
  });
  const tail = (prevHash: string) => ({ alg, prevHash }) as const;

  const submit = (build: Build): Promise<AuditRecord | null> => {
    if (closed) return Promise.reject(new Error('audit log is closed'));
    refreshSecrets();
    // A chain another writer broke meanwhile is refused as at open: its cursors named too.
    const p = new Promise<AuditRecord | null>((ok, fail) => enqueue(shared, { build, resolve: ok, reject: fail })).catch(setAside);
    const tracked = p.then((rec) => {
      if (rec) {
        written += 1;
        deliver(rec);
      }
      return rec;
    });
    inFlight.add(tracked);
    void tracked.catch(() => undefined).finally(() => inFlight.delete(tracked));
    return tracked;
  };

  // Deliveries per sink stay in seq order and never hold up a record; a failure is a warning.
  const deliver = (record: AuditRecord): void => {
    if (sinks.length === 0) return;
    const body = recordLine(record).trimEnd();
    for (const d of deliveries) d.send(body, record);
  };

  /** The change a record describes, scrubbed of secrets. */
  const change = (input: AuditIntentInput | AuditInput) => ({
    address: r(input.address),
    action: r(input.action),
    resourceId: rn(input.resourceId),
    before: snapshot(input.before),
    after: snapshot(input.after),
    ...(input.cascade && input.cascade.length > 0 ? { cascade: input.cascade.map((c) => ({ address: r(c.address), ...snapshot(c)! })) } : {}),
  });

  const intent = async (input: AuditIntentInput): Promise<AuditRecord> => {
    const rec = await submit((seq, prevHash) => ({
      ...head(seq, 'intent'),
      ...context(input),
      ...change(input),
      outcome: null,
      run,
      correlationId: rn(input.correlationId),
      ...tail(prevHash),
    }));
    return rec!;
  };

  const outcomeOf = (i: AuditRecord, walker: ChainWalker, seq: number) => {
    const open = walker.open.get(i.seq);
    if (!open || open.hash !== i.hash) return null;
    return {
      ...head(seq, 'outcome'),
      actor: open.actor,
      commit: open.commit,
      planId: open.planId,
      org: open.org,
      ...(open.environment !== undefined ? { environment: open.environment } : {}),
      ...(open.dirty ? { dirty: true as const } : {}),
      ...(open.ci !== undefined ? { ci: open.ci } : {}),
      address: open.address,
      action: open.action,
      before: open.before,
      ...(open.cascade !== undefined ? { cascade: open.cascade } : {}),
    };
  };

  const outcome = async (i: AuditRecord, result: AuditResult): Promise<AuditRecord> => {
    if (i.type !== 'intent' || i.run?.id !== run.id) throw new Error(`audit: record ${i.seq} is not an intent of this run (use recover for an earlier run's)`);
    const rec = await submit((seq, prevHash, walker) => {
      const base = outcomeOf(i, walker, seq);
      if (!base) throw new Error(`audit: intent ${i.seq} (${i.address}) already has an outcome`);
      return {
        ...base,
        resourceId: result.resourceId !== undefined ? rn(result.resourceId) : i.resourceId,
        after: snapshot(result.after),
        outcome: result.outcome,
        ...(result.confirmedBy !== undefined ? { confirmedBy: result.confirmedBy } : {}),
        ...(result.outcome === 'unknown' ? { format: AUDIT_FORMAT_UNKNOWN_OUTCOME } : {}),
        intent: i.seq,
        correlationId: result.correlationId !== undefined ? rn(result.correlationId) : i.correlationId,
        ...(result.error !== undefined ? { error: scrubMessage(result.error, secrets) } : {}),
        ...tail(prevHash),
      };
    });
    return rec!;
  };

  const recover = (i: AuditRecord, rec: AuditRecovery): Promise<AuditRecord | null> => {
    if (i.type !== 'intent') return Promise.reject(new Error(`audit: record ${i.seq} is not an intent`));
    if (rec.outcome !== 'succeeded (recovered)' && rec.outcome !== 'not applied' && rec.outcome !== 'unknown') {
      return Promise.reject(new Error(`audit: a recovered intent's outcome is "succeeded (recovered)", "not applied" or "unknown", not "${String(rec.outcome)}"`));
    }
    const unknown = rec.outcome === 'unknown';
    return submit((seq, prevHash, walker) => {
      const base = outcomeOf(i, walker, seq);
      if (!base) return null; // resolved meanwhile by another process
      return {
        ...base,
        ...(unknown ? { format: AUDIT_FORMAT_UNKNOWN_OUTCOME } : {}),
        resourceId: rec.resourceId !== undefined ? rn(rec.resourceId) : i.resourceId,
        after: snapshot(rec.after),
        outcome: rec.outcome,
        intent: i.seq,
        // An unknown one too: naming the run that settled it is what closes its intent (record-shape.ts).
        recoveredBy: { actor: r(rec.by.actor), commit: rn(rec.by.commit), planId: r(rec.by.planId), ...(rec.by.ci ? { ci: ciRun(rec.by.ci) } : {}) },
        correlationId: rec.correlationId !== undefined ? rn(rec.correlationId) : i.correlationId,
        ...(rec.error !== undefined ? { error: scrubMessage(rec.error, secrets) } : {}),
        ...tail(prevHash),
      };
    });
  };

  const append = async (input: AuditInput): Promise<AuditRecord> => {
    const rec = await submit((seq, prevHash) => ({
      ...head(seq, 'outcome'),
      ...context(input),
      ...change(input),
      outcome: input.outcome,
      intent: null,
      correlationId: rn(input.correlationId),
      ...(input.error !== undefined ? { error: scrubMessage(input.error, secrets) } : {}),
      ...tail(prevHash),
    }));
    return rec!;
  };

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await Promise.allSettled([...inFlight]);
    await Promise.all(deliveries.map((d) => d.drain()));
    finalHead = shared.walker.last;
    runClosed(run.id);
    await release(shared, warn);
  };

  return {
    file: shared.path,
    get warnings() {
      return warnings;
    },
    keyed: key !== null,
    get stats() {
      return { ...shared.stats };
    },
    pendingIntents: () => pending,
    writtenSince: (i) => shared.walker.writtenSince.get(i.seq) ?? [],
    plannedSince: (i) => shared.walker.plannedSince.get(i.seq) ?? [],
    intent,
    outcome,
    recover,
    append,
    head: () => (closed ? finalHead : shared.walker.last),
    written: () => written,
    close,
  };
}

/** PROMPTCTL_AUDIT_KEY, or null when unset or empty; a key too short to be safe is refused. */
export function auditKey(env: NodeJS.ProcessEnv): string | null {
  const key = env[AUDIT_KEY_ENV];
  if (key === undefined || key === '') return null;
  if (key.length < MIN_AUDIT_KEY_LENGTH) {
    throw new UserError(`${AUDIT_KEY_ENV} is too short: use at least ${MIN_AUDIT_KEY_LENGTH} characters (a random one, e.g. openssl rand -hex 32)`);
  }
  return key;
}
