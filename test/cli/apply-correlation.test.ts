// Audit records carry the correlation id of the call that made the change: the CLI (run in-process) applies
// through a recording loopback proxy in front of the emulator, and every success record's id must
// be one the server answered with, on the write that created or changed that resource.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_AUDIT_FILE } from '../../src/audit/log.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

interface Seen {
  method: string;
  path: string;
  status: number;
  /** ININ-Correlation-Id as the server sent it back. */
  correlationId: string | undefined;
}

/** A pass-through HTTP proxy to `upstream` that notes every exchange. */
async function recordingProxy(upstream: string): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const target = new URL(upstream);
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const up = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (upRes) => {
        const cid = upRes.headers['inin-correlation-id'];
        seen.push({ method: req.method!, path: req.url!, status: upRes.statusCode!, correlationId: Array.isArray(cid) ? cid[0] : cid });
        res.writeHead(upRes.statusCode!, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** The write that makes each kind of change, as method and path pattern (base /api/v2/llmgateway). */
function expectedWrite(address: string, action: string): RegExp {
  const kind = address.split('/')[0];
  const B = '/api/v2/llmgateway';
  const created = action === 'create';
  switch (kind) {
    case 'SafetyFilter':
      return new RegExp(created ? `^POST ${B}/safetyfilters$` : `^(PUT|DELETE) ${B}/safetyfilters/[^/]+$`);
    case 'PromptTemplate':
      return new RegExp(created ? `^POST ${B}/prompttemplates$` : `^(PUT|DELETE) ${B}/prompttemplates/[^/]+$`);
    case 'PromptVersion':
      return new RegExp(created ? `^POST ${B}/prompttemplates/[^/]+/versions$` : `^(PATCH|DELETE) ${B}/prompttemplates/[^/]+/versions/[^/]+$`);
    default:
      return new RegExp(`^PUT ${B}/prompttemplates/[^/]+/traffic$`);
  }
}

let s: Scenario | undefined;
let proxy: Awaited<ReturnType<typeof recordingProxy>> | undefined;
afterEach(async () => {
  await proxy?.close();
  await s?.close();
  s = undefined;
  proxy = undefined;
});

describe('apply: correlation ids in the audit trail', () => {
  it('every success record names the correlation id the server gave the write that made the change', async () => {
    s = await scenario();
    proxy = await recordingProxy(s.emu.url);
    const r = await s.cli(['apply', '--auto-approve'], { GENESYSCLOUD_API_URL: proxy.url });
    expect(r.code, r.stderr).toBe(0);

    const records = (await readFile(join(s.dir.path, DEFAULT_AUDIT_FILE), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; address: string; action: string; outcome: string; resourceId: string | null; correlationId: string | null })
      .filter((x) => x.type === 'outcome');
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((x) => x.outcome === 'success')).toBe(true);

    const byId = new Map(proxy.seen.filter((x) => x.correlationId).map((x) => [x.correlationId!, x]));
    for (const rec of records) {
      expect(rec.correlationId, rec.address).toEqual(expect.any(String));
      const call = byId.get(rec.correlationId!);
      expect(call, `${rec.address}: correlation id ${rec.correlationId} was never sent by the server`).toBeDefined();
      expect(`${call!.method} ${call!.path.split('?')[0]}`, rec.address).toMatch(expectedWrite(rec.address, rec.action));
      expect(call!.status, rec.address).toBeLessThan(300);
    }
    // One change, one id: no two records share the call that made them.
    expect(new Set(records.map((x) => x.correlationId)).size).toBe(records.length);
  });
});
