// export checks what it writes with the prompts directory's promptctl.yaml (a model it declares is
// known), but writes none: `plan --dir OUT` right after, the check the README promises is empty,
// then failed on 'unknown model' with nothing in export's output saying why or what to do.
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('export of templates on a model only promptctl.yaml declares', () => {
  it('says to copy promptctl.yaml into --out before plan --dir, and plan is then empty', { timeout: 60_000 }, async () => {
    s = await scenario();
    await writeFile(join(s.dir.path, 'prompts/promptctl.yaml'), 'apiVersion: promptctl/v1\nkind: Config\nspec:\n  models:\n    acme-llm: {encoding: cl100k_base, contextWindow: 32000}\n');
    await s.edit('prompts/billing/billing-assistant.yaml', 'model: gpt-4o', 'model: acme-llm');
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);

    const r = await s.cli(['export', '--out', 'exported']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'warning: the export was checked with prompts/promptctl.yaml, which plan --dir exported does not read (export writes no promptctl.yaml); it declares model acme-llm, and without it plan finds 1 error this check did not ' +
        '(exported/billing-assistant.yaml:9:10: unknown model "acme-llm"; declare it under `models:` in promptctl.yaml [tokens/unknown-model]): copy it into exported before `promptctl plan --dir exported`, or move the files into prompts',
    );
    await copyFile(join(s.dir.path, 'prompts/promptctl.yaml'), join(s.dir.path, 'exported/promptctl.yaml'));
    const plan = await s.cli(['plan', '--dir', 'exported', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it('says nothing of promptctl.yaml when the export uses only built-in models', { timeout: 60_000 }, async () => {
    s = await scenario();
    await writeFile(join(s.dir.path, 'prompts/promptctl.yaml'), 'apiVersion: promptctl/v1\nkind: Config\nspec:\n  models:\n    acme-llm: {encoding: cl100k_base, contextWindow: 32000}\n');
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const r = await s.cli(['export', '--out', 'exported']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('promptctl.yaml');
  });
});
