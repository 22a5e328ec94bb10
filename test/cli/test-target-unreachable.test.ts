// `promptctl test` against a target it cannot sign in to or reach: the live read's failure was a
// warning ("cannot read the target's templates and filters … their tests make every call"), then
// "running N calls", then the same failure as the error. A failure every call would meet too (the
// sign-in refused or unreachable, the API host refusing connections) now ends the run at once,
// exit 1, with no warning and no calls started.
import { afterEach, describe, expect, it } from 'vitest';
import { ANSWERS_TEST, evalsProject, type EvalsProject } from './evals-support.js';
import { closedPort } from '../helpers/ports.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

describe('promptctl test when the target cannot be used', () => {
  it('a wrong client secret: the sign-in error, at once', async () => {
    p = await evalsProject({ 'answers.yaml': ANSWERS_TEST });
    const r = await p.cli(['test'], { env: { GENESYSCLOUD_OAUTHCLIENT_SECRET: 'not-the-secret' } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(/cannot read the target's|running \d+ calls?/);
    expect(r.stderr).toMatch(/^error: authentication failed: /m);
    expect(await p.invocations()).toBe(0);
  });

  it('nothing listening at the target: the connection error, at once', async () => {
    p = await evalsProject({ 'answers.yaml': ANSWERS_TEST });
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await p.cli(['test'], { env: { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(/cannot read the target's|running \d+ calls?/);
    expect(r.stderr).toMatch(/^error: .*connection refused/m);
  });
});
