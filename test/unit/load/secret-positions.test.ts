// A credential in a string other than prompt text (a description, a label's value, a test's input)
// is reported at its own file:line:column, as one in a prompt is: not at the field's start, which
// in a folded, quoted or indented scalar is lines away from it.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/load/index.js';

const GH = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
const SK = 'sk-proj-4fGh7Jk2Lm9Nq3Rs8Tv1Wx6Yz0Ab5Cd';
const AWS = 'AKIAIOSFODNN7EXAMPLE';
const GL = 'glpat-x7Kq2mWv9RtB4nLp8ZcY';

let dir: string;
beforeEach(async () => {
  const base = await mkdtemp(path.join(tmpdir(), 'promptctl-secret-positions-'));
  dir = path.join(base, 'p');
  await mkdir(dir);
});
afterEach(() => rm(path.dirname(dir), { recursive: true, force: true }));

/** Where `needle` is written in `file` (its first occurrence): line and column, 1-based. */
async function positionOf(file: string, needle: string): Promise<{ line: number; column: number }> {
  const text = await readFile(path.join(dir, file), 'utf8');
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  expect(line, needle).toBeGreaterThanOrEqual(0);
  return { line: line + 1, column: lines[line]!.indexOf(needle) + 1 };
}

async function secretsFound() {
  const r = await loadProject({ dir: 'p', cwd: path.dirname(dir) });
  return r.diagnostics.filter((d) => d.rule === 'secrets/detected').map((d) => ({ file: d.file, line: d.line, column: d.column }));
}

describe('a credential outside prompt text is placed where it is written', () => {
  it('in a folded, a double-quoted, a single-quoted and a literal scalar, and a label', async () => {
    await writeFile(
      path.join(dir, 't.yaml'),
      [
        'apiVersion: promptctl/v1',
        'kind: PromptTemplate',
        'metadata:',
        '  name: folded-bot',
        '  labels:',
        `    owner: "team \\"billing\\" ${AWS}"`,
        'spec:',
        '  description: >-',
        '    Answers questions about orders.',
        `    Uses the key ${GH} for lookups.`,
        '  model: gpt-4o',
        '---',
        'apiVersion: promptctl/v1',
        'kind: SafetyFilter',
        'metadata:',
        '  name: quoted-filter',
        'spec:',
        '  description: "Blocks \\"bad\\" things\\',
        `    \\ with key: ${SK}"`,
        '  priority: 1',
        '  categories: [pii]',
        '  action: flag_and_pass',
        '  thresholds: {pii: 0.5}',
        '  falsePositiveTolerance: 0',
        '---',
        'apiVersion: promptctl/v1',
        'kind: PromptTemplate',
        'metadata:',
        '  name: single-bot',
        'spec:',
        "  description: 'It''s a bot; it''s fine",
        `    to use ${GL}'`,
        '  model: gpt-4o',
        '',
      ].join('\n'),
    );
    await writeFile(
      path.join(dir, 'v.yaml'),
      [
        'apiVersion: promptctl/v1',
        'kind: PromptVersion',
        'spec:',
        '  template: folded-bot',
        '  version: "1.0.0"',
        '  systemInstruction: Be brief.',
        '  userTemplate: "Q: {{question}}"',
        '  variables:',
        '    - name: question',
        '      type: string',
        '      maxLength: 100',
        '      description: |',
        '        What the caller asks.',
        `          (never ${AWS})`,
        '',
      ].join('\n'),
    );
    const expected = [
      { file: 'p/t.yaml', ...(await positionOf('t.yaml', AWS)) },
      { file: 'p/t.yaml', ...(await positionOf('t.yaml', GH)) },
      { file: 'p/t.yaml', ...(await positionOf('t.yaml', SK)) },
      { file: 'p/t.yaml', ...(await positionOf('t.yaml', GL)) },
      { file: 'p/v.yaml', ...(await positionOf('v.yaml', AWS)) },
    ];
    const found = await secretsFound();
    expect(found).toHaveLength(expected.length);
    expect(found).toEqual(expect.arrayContaining(expected));
  });

  it("in a test's input and canned answer, and in a document that failed its schema", async () => {
    await writeFile(
      path.join(dir, 'smoke.test.yaml'),
      [
        'apiVersion: promptctl/v1',
        'kind: PromptTest',
        'metadata:',
        '  name: smoke',
        'spec:',
        '  target: {template: folded-bot}',
        '  cases:',
        '    - name: one',
        '      vars:',
        '        question: >',
        '          does this key',
        `          ${SK} work?`,
        '      expect:',
        '        - contains: hi',
        '  responses:',
        '    - match: {contains: key}',
        `      output: "It is \\u0022${GH}\\u0022"`,
        '',
      ].join('\n'),
    );
    await writeFile(
      path.join(dir, 'f.yaml'),
      // No falsePositiveTolerance: left out of the desired state, its text still checked.
      ['apiVersion: promptctl/v1', 'kind: SafetyFilter', 'metadata:', '  name: broken-filter', 'spec:', '  description: >', '    Blocks things.', '', `    token ${GL} here`, '  priority: 1', '  categories: [pii]', '  action: flag_and_pass', '  thresholds: {pii: 0.5}', ''].join('\n'),
    );
    const found = await secretsFound();
    expect(found).toEqual(
      expect.arrayContaining([
        { file: 'p/smoke.test.yaml', ...(await positionOf('smoke.test.yaml', SK)) },
        { file: 'p/smoke.test.yaml', ...(await positionOf('smoke.test.yaml', GH)) },
        { file: 'p/f.yaml', ...(await positionOf('f.yaml', GL)) },
      ]),
    );
    expect(found).toHaveLength(3);
  });
  it("in a guide's data action id and label, a summary setting's labels, names and integration, and a list var's values", async () => {
    const AK2 = 'AKIAI44QH8DHBEXAMPLE';
    const SK2 = 'sk-live-9QwErTy7UiOp3AsDf5GhJk1LzXcV';
    const GH2 = 'ghp_9aZ8bY7cX6dW5eV4fU3gT2hS1iR0jQ4kP3lO';
    await writeFile(
      path.join(dir, 'ai.yaml'),
      [
        'apiVersion: promptctl/v1',
        'kind: Guide',
        'metadata:',
        '  name: Returns assistant',
        'spec:',
        '  instruction: "Help with returns for {{Variable.items}}."',
        '  variables:',
        '    - {name: items, type: List, scope: Input}',
        '  dataActions:',
        '    - id: >-',
        '        custom_-_6f1c2d3e',
        `        ${GH}`,
        '      label: "Get status"',
        '    - id: custom_-_9a8b7c6d',
        '      label: >-',
        '        Create label',
        `        ${SK}`,
        '---',
        'apiVersion: promptctl/v1',
        'kind: SummarySetting',
        'metadata:',
        `  name: "Voice wrap-up ${AK2}"`,
        'spec:',
        '  language: en-US',
        '  participantLabels:',
        '    internal: >-',
        '      Agent',
        `      ${GL}`,
        `    external: "Customer ${AWS}"`,
        '  customEntities:',
        `    - label: "Order number ${SK2}"`,
        '      description: The order.',
        '  serviceType: External',
        `  integrationId: 'integration ${GH2}'`,
        '',
      ].join('\n'),
    );
    const GH3 = 'ghp_Zy9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe9Dc8';
    await writeFile(
      path.join(dir, 'list.test.yaml'),
      [
        'apiVersion: promptctl/v1',
        'kind: PromptTest',
        'metadata:',
        '  name: list-smoke',
        'spec:',
        '  target: {guide: Returns assistant}',
        '  cases:',
        '    - name: one',
        '      vars:',
        '        items:',
        '          - first plain',
        '          - >-',
        '            second with',
        `            ${GH3}`,
        '      messages: [{role: user, content: where is my parcel}]',
        '      expect:',
        '        - contains: hi',
        '',
      ].join('\n'),
    );
    const r = await loadProject({ dir: 'p', cwd: path.dirname(dir) });
    expect(r.diagnostics.filter((d) => d.rule !== 'secrets/detected')).toEqual([]);
    const found = await secretsFound();
    const expected = [
      ...(await Promise.all([GH, SK, AK2, GL, AWS, SK2, GH2].map(async (s) => ({ file: 'p/ai.yaml', ...(await positionOf('ai.yaml', s)) })))),
      { file: 'p/list.test.yaml', ...(await positionOf('list.test.yaml', GH3)) },
    ];
    expect(found).toHaveLength(expected.length);
    expect(found).toEqual(expect.arrayContaining(expected));
  });
  it("in an enum variable's values and a guide variable's nested strings (list variables, attributes, list values)", async () => {
    const GH2 = 'ghp_9aZ8bY7cX6dW5eV4fU3gT2hS1iR0jQ4kP3lO';
    const SK2 = 'sk-live-9QwErTy7UiOp3AsDf5GhJk1LzXcV';
    await writeFile(
      path.join(dir, 'v.yaml'),
      [
        'apiVersion: promptctl/v1',
        'kind: PromptTemplate',
        'metadata:',
        '  name: enum-bot',
        'spec:',
        '  model: gpt-4o',
        '---',
        'apiVersion: promptctl/v1',
        'kind: PromptVersion',
        'spec:',
        '  template: enum-bot',
        '  version: "1.0.0"',
        '  systemInstruction: Be brief.',
        '  userTemplate: "Tone: {{tone}}"',
        '  variables:',
        '    - name: tone',
        '      type: enum',
        `      values: [calm, "very ${GH}"]`,
        '',
      ].join('\n'),
    );
    await writeFile(
      path.join(dir, 'g.yaml'),
      [
        'apiVersion: promptctl/v1',
        'kind: Guide',
        'metadata:',
        '  name: Orders',
        'spec:',
        '  instruction: "Help with {{Variable.items}}."',
        '  variables:',
        '    - name: items',
        '      type: List',
        '      scope: Input',
        '      listValues: {values: [Refund, "Exchange ' + SK + '"]}',
        '      listVariables:',
        '        - name: sku',
        '          type: String',
        '          scope: Input',
        '          description: >-',
        '            The item,',
        `            never ${GH2}`,
        '      customConversationAttributes:',
        `        - attributeName: "order ${AWS}"`,
        '          schema:',
        `            id: 'schema ${SK2}'`,
        '',
      ].join('\n'),
    );
    const r = await loadProject({ dir: 'p', cwd: path.dirname(dir) });
    expect(r.diagnostics.filter((d) => d.rule !== 'secrets/detected')).toEqual([]);
    const expected = [
      { file: 'p/v.yaml', ...(await positionOf('v.yaml', GH)) },
      ...(await Promise.all([SK, GH2, AWS, SK2].map(async (x) => ({ file: 'p/g.yaml', ...(await positionOf('g.yaml', x)) })))),
    ];
    const found = await secretsFound();
    expect(found).toHaveLength(expected.length);
    expect(found).toEqual(expect.arrayContaining(expected));
  });
  it("in a document that failed its schema: a guide's data action, a summary setting's labels, a template's label without a description", async () => {
    await writeFile(
      path.join(dir, 'broken.yaml'),
      [
        'apiVersion: promptctl/v1',
        'kind: Guide',
        'metadata:',
        '  name: Returns assistant',
        'spec:',
        '  instruction: Help with returns.',
        '  publish: Bogus',
        '  dataActions:',
        '    - id: custom_-_1',
        `      label: "Get ${GL}"`,
        '---',
        'apiVersion: promptctl/v1',
        'kind: SummarySetting',
        'metadata:',
        '  name: Voice wrap-up',
        'spec:',
        '  language: en-US',
        '  format: Bogus',
        '  participantLabels:',
        `    internal: "Agent ${SK}"`,
        '---',
        'apiVersion: promptctl/v1',
        'kind: PromptTemplate',
        'metadata:',
        '  name: broken-bot',
        `  labels: {owner: "team ${GH}"}`,
        'spec:',
        '  model: 42',
        '',
      ].join('\n'),
    );
    const r = await loadProject({ dir: 'p', cwd: path.dirname(dir) });
    expect(r.diagnostics.filter((d) => d.rule.startsWith('schema/')).map((d) => d.line)).toEqual([7, 18, 28]);
    const found = await secretsFound();
    const expected = await Promise.all([GL, SK, GH].map(async (x) => ({ file: 'p/broken.yaml', ...(await positionOf('broken.yaml', x)) })));
    expect(found).toHaveLength(expected.length);
    expect(found).toEqual(expect.arrayContaining(expected));
  });
  it('in a PromptTest that failed its schema: its inputs, messages and canned answers are still read', async () => {
    await writeFile(
      path.join(dir, 'broken.test.yaml'),
      [
        'apiVersion: promptctl/v1',
        'kind: PromptTest',
        'metadata:',
        '  name: smoke',
        'spec:',
        '  target: {template: some-bot}',
        '  repeat: -1',
        '  cases:',
        '    - name: one',
        `      vars: {question: "does ${GH} work"}`,
        `      messages: [{role: user, content: "hi ${SK}"}]`,
        '      expect:',
        '        - contains: hi',
        '  responses:',
        '    - match: {contains: key}',
        `      output: "It is ${GL}"`,
        '',
      ].join('\n'),
    );
    const r = await loadProject({ dir: 'p', cwd: path.dirname(dir) });
    expect(r.diagnostics.filter((d) => d.rule.startsWith('schema/')).map((d) => d.line)).toEqual([7]);
    const found = await secretsFound();
    const expected = await Promise.all([GH, SK, GL].map(async (x) => ({ file: 'p/broken.test.yaml', ...(await positionOf('broken.test.yaml', x)) })));
    expect(found).toHaveLength(expected.length);
    expect(found).toEqual(expect.arrayContaining(expected));
  });
});
