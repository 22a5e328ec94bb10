// A PromptTest case against a Guide must set the guide's required input variables
// (`validation: {required: true}`), as a template test must set its version's required ones:
// validate says which, at the case's vars (file:line:column), once for cases sharing their vars
// through an alias; a var of the wrong type is said at its value. Found in review: a guide target
// got no missing-variable check at all.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const GUIDE = `apiVersion: promptctl/v1
kind: Guide
metadata:
  name: Returns helper
spec:
  instruction: "Help {{Variable.first_name}} return order {{Variable.order_id}} ({{Variable.note}})."
  variables:
    - name: first_name
      type: String
      scope: Input
      validation: {required: true}
    - name: order_id
      type: Integer
      scope: InputAndOutput
      validation:
        required: true
    - name: note
      type: String
      scope: Input
      validation: {required: false}
    - name: outcome
      type: String
      scope: Output
      validation: {required: true}
`;

const test = (cases: string) => `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: returns-helper
spec:
  target:
    guide: Returns helper
  cases:
${cases}`;

const turn = `      messages:
        - role: user
          content: I want to return my order.
      expect:
        - contains: label
`;

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

async function validate(cases: string, guide = GUIDE): Promise<{ code: number; lines: string[] }> {
  dir = await tempDir('promptctl-guide-vars-');
  await mkdir(join(dir.path, 'prompts'));
  await writeFile(join(dir.path, 'prompts', 'guide.yaml'), guide);
  await writeFile(join(dir.path, 'prompts', 'test.yaml'), test(cases));
  const r = await runCliInProcess(['validate'], { cwd: dir.path });
  return { code: r.code, lines: r.stdout.split('\n').filter((l) => l.includes('[tests/')) };
}

it('a case that leaves out a required input variable: tests/missing-var at its vars (at its name without any); optional and Output variables need none', async () => {
  const r = await validate(`    - name: label
      vars:
        first_name: Sam
${turn}    - name: no vars
${turn}`);
  expect(r.code).toBe(1);
  expect(r.lines).toEqual([
    'prompts/test.yaml:10:7: error: case "label" does not set variable "order_id", which guide "Returns helper" requires [tests/missing-var]',
    'prompts/test.yaml:17:13: error: case "no vars" does not set variable "first_name", which guide "Returns helper" requires [tests/missing-var]',
    'prompts/test.yaml:17:13: error: case "no vars" does not set variable "order_id", which guide "Returns helper" requires [tests/missing-var]',
  ]);
});

it('cases sharing their vars through an alias: said once, at the vars that are written', async () => {
  const r = await validate(`    - name: one
      vars: &v
        first_name: Sam
${turn}    - name: two
      vars: *v
${turn}`);
  expect(r.lines).toEqual([
    'prompts/test.yaml:10:7: error: case "one" does not set variable "order_id", which guide "Returns helper" requires, nor does case "two", whose vars repeat these through an alias [tests/missing-var]',
  ]);
});

it('every required variable set, of the right types: quiet; a wrong type is said at its value', async () => {
  expect(await validate(`    - name: label
      vars: {first_name: Sam, order_id: 12}
${turn}`)).toEqual({ code: 0, lines: [] });
  const r = await validate(`    - name: label
      vars: {first_name: Sam, order_id: "12"}
${turn}`);
  expect(r.lines).toEqual([
    'prompts/test.yaml:10:41: error: var "order_id" is a string ("12"), but variable "order_id" of guide "Returns helper" is of type Integer: give a whole number (remove the quotes) [tests/var-type]',
  ]);
});

// From review: a Date variable took any string ("next week") and the guide was sent it as a date.
it('a Date variable takes an ISO 8601 date (or date-time) that the calendar has: anything else is said at its value', async () => {
  const dated = `apiVersion: promptctl/v1
kind: Guide
metadata:
  name: Returns helper
spec:
  instruction: "Help return an order bought on {{Variable.bought}}."
  variables:
    - name: bought
      type: Date
      scope: Input
`;
  const good = ['"2025-06-30"', '2025-06-30', '"2024-02-29"', '"2025-06-30T09:15:00Z"', '"2025-06-30T09:15:00.123+02:00"'];
  for (const v of good) expect(await validate(`    - name: a\n      vars: {bought: ${v}}\n${turn}`, dated), v).toEqual({ code: 0, lines: [] });
  const r = await validate(`    - name: a
      vars: {bought: next week}
${turn}    - name: b
      vars: {bought: "2025-02-30"}
${turn}    - name: c
      vars: {bought: "30/06/2025"}
${turn}`, dated);
  expect(r.code).toBe(1);
  expect(r.lines).toEqual([
    'prompts/test.yaml:10:22: error: var "bought" is "next week", but variable "bought" of guide "Returns helper" is of type Date: give an ISO 8601 date, e.g. "2025-06-30" (or a date-time, "2025-06-30T09:00:00Z") [tests/var-value]',
    'prompts/test.yaml:17:22: error: var "bought" is "2025-02-30", but variable "bought" of guide "Returns helper" is of type Date: the calendar has no such day [tests/var-value]',
    'prompts/test.yaml:24:22: error: var "bought" is "30/06/2025", but variable "bought" of guide "Returns helper" is of type Date: give an ISO 8601 date, e.g. "2025-06-30" (or a date-time, "2025-06-30T09:00:00Z") [tests/var-value]',
  ]);
});
