// A `model` that is no model id at all (empty, `__proto__`) is one mistake, an unknown model: one
// tokens/unknown-model error at the field, with the suggestion an unknown model gets, where the
// schema said "not valid: a model id known to the model registry" (twice for "", and with a
// "did you mean" that was no model).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadProject } from '../../../src/load/index.js';

const TEMPLATE = (name: string, model: string) => `apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: ${name}\nspec:\n  model: ${model}\n`;

let base: string;
beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'promptctl-malformed-model-'));
  await mkdir(path.join(base, 'p'));
});
afterEach(() => rm(base, { recursive: true, force: true }));

const shown = async () => {
  const r = await loadProject({ dir: 'p', cwd: base });
  return r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.rule}]`);
};

it('model: __proto__ and model: "" on a PromptTemplate are each one unknown-model error at the field', async () => {
  await writeFile(path.join(base, 'p/a.yaml'), TEMPLATE('proto', '__proto__'));
  await writeFile(path.join(base, 'p/b.yaml'), TEMPLATE('empty', '""'));
  expect(await shown()).toEqual([
    'p/a.yaml:6:10: error: unknown model "__proto__": a model id begins with a letter or digit and holds only letters, digits and . _ : / - (such as "gpt-4o") [tokens/unknown-model]',
    'p/b.yaml:6:10: error: unknown model "": no model is named; write one, such as "gpt-4o", or one declared under `models:` in promptctl.yaml [tokens/unknown-model]',
  ]);
});

it('suggests a close model, one promptctl.yaml declares too, read after the document', async () => {
  await writeFile(path.join(base, 'p/a.yaml'), TEMPLATE('spaced', '"gpt 4o"') + '---\n' + TEMPLATE('own', '" house_model"'));
  await writeFile(path.join(base, 'p/promptctl.yaml'), 'apiVersion: promptctl/v1\nkind: Config\nspec:\n  models:\n    house_model: {encoding: o200k_base, contextWindow: 8000}\n');
  expect(await shown()).toEqual([
    'p/a.yaml:6:10: error: unknown model "gpt 4o"; did you mean "gpt-4o"? [tokens/unknown-model]',
    'p/a.yaml:13:10: error: unknown model " house_model"; did you mean "house_model"? [tokens/unknown-model]',
  ]);
});

it('the document still stays out of the desired state, and its other schema problems are still said', async () => {
  await writeFile(path.join(base, 'p/a.yaml'), TEMPLATE('proto', '__proto__') + '  descripton: x\n');
  const r = await loadProject({ dir: 'p', cwd: base });
  expect(r.diagnostics.map((d) => d.rule)).toEqual(['tokens/unknown-model', 'schema/unknown-field']);
  expect(r.state?.templates ?? []).toEqual([]);
});

it('a key of spec.models that is no model id says what a model id is, not that it must be known', async () => {
  await writeFile(path.join(base, 'p/promptctl.yaml'), 'apiVersion: promptctl/v1\nkind: Config\nspec:\n  models:\n    __proto__: {encoding: o200k_base, contextWindow: 8000}\n');
  expect(await shown()).toEqual([
    'p/promptctl.yaml:5:5: error: key "__proto__" in spec.models is not valid: A model id begins with a letter or digit and holds only letters, digits and . _ : / - (at most 128 characters), such as gpt-4o. [schema/key]',
  ]);
});

it('a model id too long and misspelt too is one error, its length', async () => {
  await writeFile(path.join(base, 'p/a.yaml'), TEMPLATE('long', JSON.stringify(`gpt ${'x'.repeat(130)}`)));
  const shown_ = await shown();
  expect(shown_).toHaveLength(1);
  expect(shown_[0]).toMatch(/^p\/a\.yaml:6:10: error: .*\[schema\/[a-z-]+\]$/);
  expect(shown_[0]).toMatch(/128/);
});
