// A test's `responses:` answer its own target alone (a reviewer's case, reproduced): a guide and a
// template may share a name (a guide's is free text), and the embedded emulator matched a test's
// canned answers by that name only, so a guide test's answer for guide "greeter" answered the
// calls another test made to template greeter. Each canned answer now holds for its own kind of
// target, a template's invocation or a guide's turn.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const GUIDE_ANSWER = 'GUIDE CANNED ANSWER';

const PROMPTS = `apiVersion: promptctl/v1
kind: PromptTemplate
metadata: {name: greeter}
spec: {model: gpt-4o-mini}
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: greeter
  version: "1.0.0"
  systemInstruction: Greet people.
  userTemplate: "Say hi to {{who}}"
  variables:
    - {name: who, type: string, maxLength: 20}
  maxTokens: 50
---
apiVersion: promptctl/v1
kind: Guide
metadata: {name: greeter}
spec:
  instruction: "Help the customer {{Variable.who}}."
  variables:
    - {name: who, type: String, scope: Input}
`;

const TESTS = `apiVersion: promptctl/v1
kind: PromptTest
metadata: {name: guide-test}
spec:
  target: {guide: greeter}
  responses:
    - match: {}
      output: ${JSON.stringify(GUIDE_ANSWER)}
  cases:
    - name: g
      vars: {who: Ann}
      messages: [{role: user, content: hello}]
      expect:
        - contains: GUIDE
---
apiVersion: promptctl/v1
kind: PromptTest
metadata: {name: template-test}
spec:
  target: {template: greeter, version: "1.0.0"}
  cases:
    - name: t
      vars: {who: Ann}
      expect:
        - notContains: ${JSON.stringify(GUIDE_ANSWER)}
`;

it("a guide test's canned answer answers its guide, not a template of the same name", { timeout: 60_000 }, async () => {
  dir = await tempDir('promptctl-responses-kind-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(join(dir.path, 'prompts', 'greeter.yaml'), PROMPTS);
  await writeFile(join(dir.path, 'prompts', 'tests.yaml'), TESTS);
  const run = (args: string[]) => runCliInProcess(args, { cwd: dir!.path });
  const apply = await run(['apply', '--auto-approve']);
  expect(apply.code, apply.stdout + apply.stderr).toBe(0);

  const r = await run(['test', '--format', 'json']);
  expect(r.stderr.split('\n')[0]).toBe('target: embedded emulator (state .promptctl/local-state.json)');
  const tests = JSON.parse(r.stdout).tests as Array<{ name: string; met: boolean; runs: Array<{ observation: { output: string } }> }>;
  const byName = Object.fromEntries(tests.map((t) => [t.name, t]));
  expect(byName['guide-test']!.runs[0]!.observation.output).toBe(GUIDE_ANSWER);
  expect(byName['template-test']!.runs[0]!.observation.output).not.toContain(GUIDE_ANSWER);
  expect(byName['template-test']!.met).toBe(true);
  expect(r.code, r.stderr).toBe(0);
});
