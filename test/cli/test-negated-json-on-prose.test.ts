// `equals` of a JSON value and `jsonSchema` under `not: true`, against an answer that is not JSON:
// they failed both ways ("the comparison could not be made"), so a test that an answer is NOT a
// given JSON value or does NOT match a schema could never pass on prose. Prose is plainly not
// equal to that value and matches no schema: without `not` they fail as before, saying the
// output is not JSON; with it they pass, as `equals` of a string (a text comparison) and
// `isJson` already did.
import { afterEach, describe, expect, it } from 'vitest';
import { evalsProject, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

/** One case of faq-bot 1.1.0 whose question no canned response matches: the emulator's stable prose answers. */
const test = (not: boolean): string => `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: faq-not-json
spec:
  target:
    template: faq-bot
    version: "1.1.0"
  cases:
    - name: prose
      vars:
        question: "What are your opening hours?"
      expect:
        - isJson: true
          not: true
        - equals: 42
          not: ${not}
        - equals: {queue: billing}
          not: ${not}
        - jsonSchema: {type: object}
          not: ${not}
        - equals: "exactly this"
          not: ${not}
`;

describe('equals and jsonSchema against an answer that is not JSON', () => {
  it('pass under not: true', async () => {
    p = await evalsProject({ 'not-json.yaml': test(true) });
    const r = await p.cli(['test', '--format', 'json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toContain('1 of 1 test met its threshold');
  });

  it('fail without it, saying the output is not JSON', async () => {
    p = await evalsProject({ 'not-json.yaml': test(false) });
    const r = await p.cli(['test']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ prose @1\.1\.0: equals 42: the output is not JSON \(/);
    expect(r.stdout).toMatch(/✗ prose @1\.1\.0: equals \{"queue":"billing"\}: the output is not JSON \(/);
    expect(r.stdout).toMatch(/✗ prose @1\.1\.0: jsonSchema: the output is not JSON \(/);
    expect(r.stdout).toMatch(/✗ prose @1\.1\.0: equals "exactly this": the output is /);
    expect(r.stdout).not.toMatch(/isJson/);
  });
});
