// A guide test's canned answer for one version (`responses: [{match: {version: "2.0"}}]`) was
// refused: validate said "can never hold: a guide is tested on its latest saved version" (an
// error, since "2.0" is no semver), though the emulator matches a guide's turns by the version
// they run, and those are not always the latest. A guide test's match.version now takes a guide
// version label ("2.0", as Genesys numbers them), and the turns answer from the one for theirs.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const guide = (instruction: string) => `apiVersion: promptctl/v1
kind: Guide
metadata:
  name: Returns helper
spec:
  instruction: "${instruction}"
`;

const TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: returns-helper
spec:
  target: {guide: Returns helper}
  responses:
    - match: {version: "1.0"}
      output: Answered by version one.
    - match: {version: "2.0", contains: return}
      output: Answered by version two.
  cases:
    - name: asks
      messages:
        - role: user
          content: I want to return my order.
      expect:
        - contains: version two
`;

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

it("answers a guide test's turns from the canned answer for the version they ran", { timeout: 60_000 }, async () => {
  dir = await tempDir('promptctl-guide-response-version-');
  await mkdir(join(dir.path, 'prompts'));
  const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: {} });
  await writeFile(join(dir.path, 'prompts', 'guide.yaml'), guide('Help the customer return an order.'));
  await writeFile(join(dir.path, 'prompts', 'test.yaml'), TEST);
  const validate = await cli(['validate']);
  expect(validate.stdout + validate.stderr).not.toContain('response-version');
  expect(validate.code, validate.stdout + validate.stderr).toBe(0);

  // 1.0 in production: its answer, which the case does not want.
  expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
  const one = await cli(['test', '--format', 'json']);
  expect(one.stdout).toContain('Answered by version one.');
  expect(one.code).toBe(1);

  // A new production version, 2.0: the turns run it and answer from its canned answer.
  await writeFile(join(dir.path, 'prompts', 'guide.yaml'), guide('Help the customer return an order, kindly.'));
  expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
  const two = await cli(['test', '--format', 'json']);
  expect(two.code, two.stdout + two.stderr).toBe(0);
  expect(two.stdout).toContain('Answered by version two.');
});
