// A test was told its call "was answered by a canned response of PromptTest X's responses, not
// its own" where X's answer is the same as its own (a review): two tests with the same target,
// case and response make one call (shared, or the other's cached result), which names the test
// that made it; and a renamed test's cached results named its old name, a test that no longer
// exists. The note, and the JSON observation's `canned`, now follow the response that answered:
// said only when the test's own responses would not have given it.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestReport } from '../../src/evals/types.js';
import { REPO, runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let example: TempDir | undefined;
afterEach(async () => {
  await example?.remove();
  example = undefined;
});

const pairTest = (name: string, expect: string, output = '{"queue":"billing"}'): string => `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: ${name}
spec:
  target: {template: support-triage, version: "2.0.0"}
  responses:
    - match: {contains: refund}
      output: ${JSON.stringify(output)}
  cases:
    - name: refund
      vars: {channel: chat, message: "I want a refund"}
      expect:
        - ${expect}
`;

const NOTE = /answered by a canned response of PromptTest/;

describe('promptctl test: a shared call answered by the same canned response', () => {
  it("says nothing of another test's answer that is its own too, shared, cached or renamed; says it where another answer stood in", { timeout: 60_000 }, async () => {
    example = await tempDir('promptctl-canned-shared-');
    await cp(join(REPO, 'prompts'), join(example.path, 'prompts'), { recursive: true });
    const file = join(example.path, 'prompts/tests/pair.yaml');
    await writeFile(file, `${pairTest('strict-json', 'isJson: true')}---\n${pairTest('queue-check', 'contains: billing')}`);
    const run = (args: string[]) => runCliInProcess(args, { cwd: example!.path });
    const apply = await run(['apply', '--auto-approve']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);

    // One call, made for strict-json and shared with queue-check.
    const text = await run(['test', 'strict-json', 'queue-check']);
    expect(text.code, text.stdout + text.stderr).toBe(0);
    expect(text.stdout).toMatch(/1 call made, 1 answered from the cache\.$/m);
    expect(text.stdout).not.toMatch(NOTE);
    const json = JSON.parse((await run(['test', 'strict-json', 'queue-check', '--format', 'json'])).stdout) as TestReport;
    for (const t of json.tests) {
      expect(t.notes).toEqual([]);
      expect(t.runs[0]!.observation.output).toBe('{"queue":"billing"}');
      expect(t.runs[0]!.observation.canned).toBeUndefined();
    }
    // Made by each for itself (--no-cache): the same.
    const fresh = await run(['test', 'strict-json', 'queue-check', '--no-cache']);
    expect(fresh.stdout).not.toMatch(NOTE);

    // Renamed: the cached results carry the old name, and are the test's own answers all the same.
    await writeFile(file, (await readFile(file, 'utf8')).replace('name: strict-json', 'name: strict-json-2'));
    const renamed = await run(['test', 'strict-json-2', 'queue-check']);
    expect(renamed.code, renamed.stdout + renamed.stderr).toBe(0);
    expect(renamed.stdout).toMatch(/0 calls made, 2 answered from the cache\.$/m);
    expect(renamed.stdout).not.toMatch(NOTE);
    expect(renamed.stdout).not.toContain('strict-json\'s');

    // A test with no response of its own for the call is still told whose answered it.
    await writeFile(file, `${pairTest('strict-json', 'isJson: true')}---\n${pairTest('queue-check', 'contains: billing', 'routed to billing')}`.replace('contains: refund}\n      output: "routed to billing"', 'contains: nothing-matches}\n      output: "routed to billing"'));
    const other = JSON.parse((await run(['test', 'queue-check', '--format', 'json'])).stdout) as TestReport;
    expect(other.tests[0]!.runs[0]!.observation.canned).toEqual({ test: 'strict-json' });
    expect(other.tests[0]!.notes).toContain("1 of its calls was answered by a canned response of PromptTest strict-json's responses, not its own: its output, tokens and cost are that response's");
  });
});
