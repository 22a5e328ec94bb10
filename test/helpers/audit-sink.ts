// A stand-in HTTP audit sink on a loopback port, and a run of promptctl's audit writer against it:
// for the tests of how a delivery fails (refused, slow, never answered).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openAuditLog, type AuditInput } from '../../src/audit/log.js';
import type { SinkOptions } from '../../src/audit/sink.js';

export interface StubSink {
  url: string;
  close(): Promise<void>;
}

/** A sink at a loopback port: `handle` answers (or holds) each request, given its body as JSON. */
export async function stubSink(handle: (body: { seq: number; hash: string }, req: IncomingMessage, res: ServerResponse) => void): Promise<StubSink> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { seq: number; hash: string }, req, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/audit`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A plain create record of template t<n>. */
export const plainRecord = (n: number): AuditInput => ({ address: `PromptTemplate/t${n}`, action: 'create', outcome: 'success', actor: 'a', commit: null, planId: 'p', resourceId: null, before: null, after: null, correlationId: null });

/** One run of the writer with the sink at `url`: the trail FILE opened, a record appended for each of `seqs`, closed; its warnings. */
export async function runWithSink(file: string, url: string, seqs: readonly number[], sinkOptions: SinkOptions): Promise<string[]> {
  const warnings: string[] = [];
  const log = await openAuditLog(file, { sinks: [{ url }], env: {}, onWarning: (m) => warnings.push(m), sinkOptions });
  for (const n of seqs) await log.append(plainRecord(n));
  await log.close();
  return warnings;
}
