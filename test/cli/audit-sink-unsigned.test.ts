// An audit sink receives each record signed (DESIGN §5: HTTP sinks POST each record with an
// HMAC-SHA256 signature header). A sink configured without `secretEnv` has no key to sign with:
// before, validate passed it and apply posted every record to it unsigned, without a word, so its
// receiver could not tell promptctl's records from anyone's. Now validate refuses it at its line,
// and apply stops before any change (and before any POST).
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
let sink: Server | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
  if (sink) {
    sink.closeAllConnections();
    await new Promise((done) => sink!.close(done));
  }
  sink = undefined;
});

describe('an audit sink without secretEnv', () => {
  it('is refused by validate at its line, and apply posts nothing unsigned and changes nothing', async () => {
    const posts: Record<string, unknown>[] = [];
    sink = createServer((req, res) => {
      posts.push(req.headers);
      req.resume();
      req.on('end', () => res.writeHead(200).end('ok'));
    });
    sink.listen(0, '127.0.0.1');
    await once(sink, 'listening');
    const url = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/audit`;
    s = await scenario();
    await writeFile(join(s.dir.path, 'prompts/promptctl.yaml'), `apiVersion: promptctl/v1\nkind: Config\nspec:\n  audit:\n    http:\n      - url: "${url}"\n`);

    const v = await s.cli(['validate']);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/^prompts\/promptctl\.yaml:6:\d+: error: audit sink 1: .*secretEnv.*\[config\/audit-sink\]$/m);

    const r = await s.cli(['apply', '--auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/prompts\/promptctl\.yaml:6:\d+: error: audit sink 1: .*secretEnv/);
    expect(posts).toHaveLength(0);
    expect(await s.emu.api.listTemplates()).toEqual([]);
  });
});

describe('an audit sink whose signing key is short', () => {
  it('gets no record signed with it: the sink is turned off with a warning naming the variable, as PROMPTCTL_AUDIT_KEY is refused below 16 characters', async () => {
    const posts: Record<string, unknown>[] = [];
    sink = createServer((req, res) => {
      posts.push(req.headers);
      req.resume();
      req.on('end', () => res.writeHead(200).end('ok'));
    });
    sink.listen(0, '127.0.0.1');
    await once(sink, 'listening');
    const url = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/audit`;
    s = await scenario();
    await writeFile(join(s.dir.path, 'prompts/promptctl.yaml'), `apiVersion: promptctl/v1\nkind: Config\nspec:\n  audit:\n    http:\n      - url: "${url}"\n        secretEnv: SINK_HMAC\n`);
    // Before: signed with "x" (HMAC-SHA256 under a one-letter key), without a word.
    const r = await s.cli(['apply', '--auto-approve'], { SINK_HMAC: 'x' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: audit sink ${url} disabled: environment variable SINK_HMAC (its signing key) is shorter than 16 characters`);
    expect(posts).toHaveLength(0);
  });

  it('of 16 characters or more signs every record it gets', async () => {
    const posts: Record<string, unknown>[] = [];
    sink = createServer((req, res) => {
      posts.push(req.headers);
      req.resume();
      req.on('end', () => res.writeHead(200).end('ok'));
    });
    sink.listen(0, '127.0.0.1');
    await once(sink, 'listening');
    const url = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/audit`;
    s = await scenario();
    await writeFile(join(s.dir.path, 'prompts/promptctl.yaml'), `apiVersion: promptctl/v1\nkind: Config\nspec:\n  audit:\n    http:\n      - url: "${url}"\n        secretEnv: SINK_HMAC\n`);
    const r = await s.cli(['apply', '--auto-approve'], { SINK_HMAC: 'sink-key-0123456789' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('disabled');
    expect(posts.length).toBeGreaterThan(0);
    for (const h of posts) expect(h['x-promptctl-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
});
