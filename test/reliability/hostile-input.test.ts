// Hostile input at scale, through the built CLI: a 50 MB prompts directory, a 10 MB file (as
// YAML and as a `{file: ...}` text), and 10,000 files. Each validates or fails with a located,
// readable message (no crash, no stack trace), and peak memory stays bounded.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { cli, expectNoCrash } from './support.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const MB = 1024 * 1024;

/** About `bytes` of prose as an indented block-scalar body, varied by `seed`. */
function prose(bytes: number, seed: number): string {
  const words = ['refund', 'shipping', 'invoice', 'policy', 'section', 'customer', 'order', 'abroad', 'delay', 'courier', 'warranty', 'escalate'];
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `    ${Array.from({ length: 12 }, (_, k) => words[(i * 5 + k * 7 + seed) % words.length]).join(' ')} (${seed}.${i}).`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n') + '\n';
}

function templateWithVersion(name: string, systemInstruction: string): string {
  return [
    `apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: ${name}\nspec:\n  model: gpt-4o\n`,
    `apiVersion: promptctl/v1\nkind: PromptVersion\nspec:\n  template: ${name}\n  version: "1.0.0"\n  systemInstruction: ${systemInstruction}  userTemplate: "{{q}}"\n  variables:\n    - {name: q, type: string, maxLength: 100}\n`,
    `apiVersion: promptctl/v1\nkind: TrafficSplit\nspec:\n  template: ${name}\n  routes:\n    - {version: "1.0.0", weight: 100}\n`,
  ].join('---\n');
}

describe('hostile input at scale', () => {
  it('a 50 MB prompts directory: every oversized prompt is named at its line, in bounded memory', { timeout: 120_000 }, async () => {
    dir = await tempDir('promptctl-hostile-50mb-');
    const prompts = join(dir.path, 'prompts');
    await mkdir(prompts);
    for (let i = 0; i < 50; i++) {
      await writeFile(join(prompts, `big-${String(i).padStart(2, '0')}.yaml`), templateWithVersion(`big-${i}`, `|\n${prose(MB, i)}`));
    }
    const r = await cli(['validate'], dir.path);
    expectNoCrash(r);
    expect(r.code).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => /: error: /.test(l));
    expect(errors).toHaveLength(50);
    for (const e of errors) expect(e).toMatch(/^prompts\/big-\d\d\.yaml:\d+:\d+: error: worst-case prompt [\d,]+ tokens exceeds gpt-4o's context window/);
    expect(r.stderr).toMatch(/50 files checked: 50 errors/);
    expect(r.stats!.maxRssKb).toBeLessThan(1024 * 1024); // 50 MB of input, well under 1 GB of memory
  });

  it('a 10 MB file, as YAML or as a referenced text: refused with its name and size', async () => {
    dir = await tempDir('promptctl-hostile-10mb-');
    const prompts = join(dir.path, 'prompts');
    await mkdir(join(prompts, 'texts'), { recursive: true });
    await writeFile(join(prompts, 'huge.yaml'), templateWithVersion('huge', `|\n${prose(10 * MB, 1)}`));
    await writeFile(join(prompts, 'texts', 'huge.md'), prose(10 * MB, 2));
    await writeFile(join(prompts, 'ref.yaml'), templateWithVersion('ref', '{file: texts/huge.md}\n'));

    const r = await cli(['validate'], dir.path);
    expectNoCrash(r);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^prompts\/huge\.yaml:1:1: error: file is 10\.0 MiB; promptctl reads files up to 8 MiB/m);
    expect(r.stdout).toMatch(/^prompts\/ref\.yaml:\d+:\d+: error: .*texts\/huge\.md.*(8 MiB|too large)/m);
    expect(r.stats!.maxRssKb).toBeLessThan(512 * 1024);

    // plan and apply refuse the same input before touching anything live.
    const plan = await cli(['plan'], dir.path);
    expectNoCrash(plan);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/error: 2 errors in prompts: nothing was planned/);
  });

  it('10,000 files: all read and checked', { timeout: 120_000 }, async () => {
    dir = await tempDir('promptctl-hostile-many-');
    const prompts = join(dir.path, 'prompts');
    for (let d = 0; d < 10; d++) await mkdir(join(prompts, `team-${d}`), { recursive: true });
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 10_000; i++) {
      const name = `t-${String(i).padStart(5, '0')}`;
      writes.push(writeFile(join(prompts, `team-${i % 10}`, `${name}.yaml`), `apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: ${name}\nspec:\n  model: gpt-4o\n`));
      if (writes.length >= 500) await Promise.all(writes.splice(0));
    }
    await Promise.all(writes);
    // One bad file among them is found and named.
    await writeFile(join(prompts, 'team-3', 't-03333.yaml'), 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: t-03333\nspec:\n  model: gpt-4o\n  model: o3\n');

    const r = await cli(['validate'], dir.path);
    expectNoCrash(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/10000 files checked: 1 error/);
    expect(r.stdout).toMatch(/^prompts\/team-3\/t-03333\.yaml:7:3: error: .*duplicate/im);
    expect(r.stats!.maxRssKb).toBeLessThan(512 * 1024);
  });
});
