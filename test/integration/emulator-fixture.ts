// Shared by the emulator integration tests: a tiny fetch client that speaks to a real emulator.
import { afterAll, beforeAll } from 'vitest';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { TOKEN_PATH } from '../../src/genesys/conventions.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/server.js';

export interface Res<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export class Api {
  token = '';
  /** `url` is settable so that a file-wide client can exist before its emulator does (see emulatorForFile). */
  constructor(public url: string) {}

  async login(id = 'local-client', secret = 'local-secret'): Promise<Res> {
    const res = await fetch(this.url + TOKEN_PATH, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const body = (await res.json()) as any;
    if (res.status === 200) this.token = body.access_token;
    return { status: res.status, headers: res.headers, body };
  }

  async req<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res<T>> {
    const res = await fetch(this.url + path, {
      method,
      headers: {
        ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  get = <T = any>(path: string): Promise<Res<T>> => this.req<T>('GET', path);
  post = <T = any>(path: string, body: unknown): Promise<Res<T>> => this.req<T>('POST', path, body);
  put = <T = any>(path: string, body: unknown): Promise<Res<T>> => this.req<T>('PUT', path, body);
  patch = <T = any>(path: string, body: unknown): Promise<Res<T>> => this.req<T>('PATCH', path, body);
  del = <T = any>(path: string): Promise<Res<T>> => this.req<T>('DELETE', path);

  /** Creates a template and returns its id. */
  async template(name: string, extra: Record<string, unknown> = {}): Promise<string> {
    const r = await this.post(paths.templates(), { name, model: 'gpt-4o', ...extra });
    if (r.status !== 201) throw new Error(`create template ${name}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  }

  async version(templateId: string, label: string, extra: Record<string, unknown> = {}): Promise<Res> {
    return this.post(paths.versions(templateId), versionBody(label, extra));
  }

  /** Starts publishing and polls the job (each poll awaits a real request) until it leaves Running. */
  async publish(templateId: string, label: string): Promise<any> {
    const start = await this.post(paths.jobs(templateId, label), { state: 'Published' });
    if (start.status !== 202) throw new Error(`publish ${label}: ${start.status} ${JSON.stringify(start.body)}`);
    for (;;) {
      const job = await this.get(paths.job(templateId, label, start.body.id));
      if (job.body.status !== 'Running') return job.body;
    }
  }
}

export function versionBody(label: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: label,
    systemInstruction: 'You help {{customer}} with billing.',
    userTemplate: 'Question: {{question}}',
    variables: [
      { name: 'customer', type: 'string' },
      { name: 'question', type: 'string', maxLength: 500 },
    ],
    ...extra,
  };
}

export function filterBody(name: string, priority: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    priority,
    categories: ['pii', 'phishing'],
    action: 'redact_and_log',
    thresholds: { pii: 0.5 },
    falsePositiveTolerance: 0.1,
    ...extra,
  };
}

/** Starts an emulator on a free loopback port and a logged-in client for it. */
export async function boot(opts: EmulatorOptions = {}): Promise<{ em: RunningEmulator; api: Api }> {
  const em = await startEmulator({ port: 0, ...opts });
  const api = new Api(em.url);
  await mustLogin(api, opts);
  return { em, api };
}

/**
 * One emulator for all the tests of a file: started before them, closed after them. The client
 * returned is pointed at it and logged in by the time the tests run.
 */
export function emulatorForFile(opts: EmulatorOptions = {}): Api {
  const api = new Api('');
  let em: RunningEmulator | undefined;
  beforeAll(async () => {
    em = await startEmulator({ port: 0, ...opts });
    api.url = em.url;
    await mustLogin(api, opts);
  });
  afterAll(async () => {
    await em?.close();
  });
  return api;
}

async function mustLogin(api: Api, opts: EmulatorOptions): Promise<void> {
  const login = await api.login(opts.clientId, opts.clientSecret);
  if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
}
