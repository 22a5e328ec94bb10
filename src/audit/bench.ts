// A micro benchmark of the audit writer, for bench/run.mjs (import it from dist/audit/bench.js):
// N changes written as apply writes them, CONCURRENCY in flight, each an intent (durable before
// its "call") and then its outcome; or plain one-record appends. Reports the cost per record and
// how many batches (lock acquisitions + fdatasyncs) carried them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIT_KEY_ENV } from './record.js';
import { openAuditLog } from './log.js';

export interface AuditBenchOptions {
  /** Changes (or appends) in flight at once, like the executor's concurrency; default 16. */
  concurrency?: number;
  /** Chain with HMAC-SHA256 (a throwaway key); default false. */
  keyed?: boolean;
  /** 'intents': an intent and an outcome per change (what apply writes); 'append': one record per change. Default 'intents'. */
  mode?: 'intents' | 'append';
  /** Where to put the temporary trail (it is removed); default the OS temp dir. */
  dir?: string;
  /** Bytes of canonical content per snapshot (a prompt text), default 2000. */
  contentBytes?: number;
}

export interface AuditBenchResult {
  changes: number;
  records: number;
  batches: number;
  concurrency: number;
  mode: 'intents' | 'append';
  keyed: boolean;
  totalMs: number;
  perRecordMs: number;
  perChangeMs: number;
}

/** Writes N changes to a fresh trail and times it (open and close included). */
export async function auditAppendBench(n: number, opts: AuditBenchOptions = {}): Promise<AuditBenchResult> {
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 16));
  const mode = opts.mode ?? 'intents';
  const keyed = opts.keyed ?? false;
  const text = 'x'.repeat(opts.contentBytes ?? 2000);
  const dir = await mkdtemp(join(opts.dir ?? tmpdir(), 'promptctl-audit-bench-'));
  try {
    const started = performance.now();
    const log = await openAuditLog(join(dir, 'audit.jsonl'), {
      env: keyed ? { [AUDIT_KEY_ENV]: 'bench-key-0123456789abcdef' } : {},
      onWarning: () => undefined,
    });
    const ctx = { actor: 'bench', commit: 'c'.repeat(40), planId: 'bench-plan', org: { id: 'org', host: 'localhost' } };
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < n) {
        const i = next++;
        const change = {
          ...ctx,
          address: `PromptTemplate/t${i}`,
          action: 'create',
          resourceId: null,
          before: null,
          after: { version: null, hash: 'h'.repeat(64), content: { name: `t${i}`, text } },
        };
        if (mode === 'append') {
          await log.append({ ...change, after: { ...change.after, version: 1 }, outcome: 'success', correlationId: `c-${i}` });
          continue;
        }
        const intent = await log.intent(change);
        await log.outcome(intent, { outcome: 'success', resourceId: `id-${i}`, after: { ...change.after, version: 1 }, correlationId: `c-${i}` });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    await log.close();
    const totalMs = performance.now() - started;
    const { records, batches } = log.stats;
    return { changes: n, records, batches, concurrency, mode, keyed, totalMs, perRecordMs: totalMs / records, perChangeMs: totalMs / n };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
