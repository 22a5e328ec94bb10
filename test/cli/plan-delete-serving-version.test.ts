// A version pruned while it answers the template's calls (found by review): the plan flagged only
// the split update that moves its traffic, and a version the gateway serves as the newest
// Published one (no split) read "not routed". Both deletes are now called out as destructive,
// saying what they serve now, in the text plan and the pull request's markdown alike.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const TEMPLATE = 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata: {name: bot}\nspec: {model: gpt-4o}';
const version = (label: string): string =>
  `apiVersion: promptctl/v1\nkind: PromptVersion\nspec: {template: bot, version: "${label}", systemInstruction: "Answer as ${label}.", userTemplate: "Q: {{q}}", variables: [{name: q, type: string, maxLength: 80}], maxTokens: 100}`;
const split = (label: string): string => `apiVersion: promptctl/v1\nkind: TrafficSplit\nspec:\n  template: bot\n  routes:\n    - {version: "${label}", weight: 100}`;

async function planAfter(before: string[], after: string[], prune = true): Promise<{ text: string; md: string; json: string }> {
  dir = await tempDir('promptctl-delete-serving-');
  const prompts = join(dir.path, 'prompts');
  await mkdir(prompts);
  const file = join(prompts, 'bot.yaml');
  const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path });
  await writeFile(file, before.join('\n---\n') + '\n');
  const applied = await cli(['apply', '--auto-approve']);
  expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  await writeFile(file, after.join('\n---\n') + '\n');
  const flags = prune ? ['--prune'] : [];
  const text = await cli(['plan', ...flags]);
  expect(text.code, text.stderr).toBe(0);
  const md = await cli(['plan', ...flags, '--format', 'markdown']);
  expect(md.code, md.stderr).toBe(0);
  const json = await cli(['plan', ...flags, '--format', 'json']);
  expect(json.code, json.stderr).toBe(0);
  return { text: text.stdout, md: md.stdout, json: json.stdout };
}

describe('a pruned version that serves calls now', () => {
  it('is destructive when the live split routes to it', async () => {
    const { text, md } = await planAfter(
      [TEMPLATE, version('1.0.0'), version('1.1.0'), split('1.0.0')],
      [TEMPLATE, version('1.1.0'), split('1.1.0')],
    );
    const reason = "pruned: not in git and routed to 100 % of the live traffic now, which this plan's traffic split takes from it first";
    expect(text).toContain(`- delete PromptVersion/bot@1.0.0 ⚠ destructive\n    ${reason}\n`);
    expect(md).toContain(`### ⚠️ Destructive changes (1)`);
    expect(md).toContain(`- ⚠️ \`- delete\` **PromptVersion/bot@1.0.0** — ${reason}`);
  });

  it('is destructive, and not "not routed", when it answers as the newest published version', async () => {
    const { text } = await planAfter([TEMPLATE, version('1.0.0'), version('1.1.0')], [TEMPLATE, version('1.0.0')]);
    expect(text).toContain(
      "- delete PromptVersion/bot@1.1.0 ⚠ destructive\n    pruned: not in git and not routed, but it answers the template's calls now as its newest published version (it has no traffic split)\n",
    );
  });

  it('stays a plain delete when it serves nothing', async () => {
    const { text } = await planAfter([TEMPLATE, version('1.0.0'), version('1.1.0')], [TEMPLATE, version('1.1.0')]);
    expect(text).toContain('- delete PromptVersion/bot@1.0.0\n    pruned: not in git and not routed\n');
  });
});

// Found by review: with prune off, the same deletes were plain pending ones, their reason only
// "prune is off", though the delete they announce takes the version's calls from callers.
describe('a pending delete (prune off) of a version that serves calls now', () => {
  const PENDING = 'pending: prune is off (run with --prune, or set prune: true in promptctl.yaml, to delete)';
  const deleteOf = (json: string, address: string) =>
    (JSON.parse(json) as { actions: { address: string; action: string; pending?: boolean; destructive?: boolean; reason?: string }[] }).actions.find(
      (a) => a.address === address && a.action === 'delete',
    );

  it('is destructive and says it answers as the newest published version, in text, markdown and JSON', async () => {
    const { text, md, json } = await planAfter([TEMPLATE, version('1.0.0'), version('1.1.0')], [TEMPLATE, version('1.0.0')], false);
    const reason = `${PENDING}; not routed, but it answers the template's calls now as its newest published version (it has no traffic split)`;
    expect(text).toContain(`- delete (pending: prune is off) PromptVersion/bot@1.1.0 ⚠ destructive\n    ${reason}\n`);
    expect(md).toContain('### ⚠️ Destructive changes (1)');
    expect(md).toContain(`- ⚠️ \`- delete (pending: prune is off)\` **PromptVersion/bot@1.1.0** — ${reason}`);
    expect(deleteOf(json, 'PromptVersion/bot@1.1.0')).toMatchObject({ pending: true, destructive: true, reason });
  });

  it('is destructive and says what the live split routes to it', async () => {
    const { text, json } = await planAfter(
      [TEMPLATE, version('1.0.0'), version('1.1.0'), split('1.0.0')],
      [TEMPLATE, version('1.1.0'), split('1.1.0')],
      false,
    );
    const reason = `${PENDING}; routed to 100 % of the live traffic now, which this plan's traffic split takes from it first`;
    expect(text).toContain(`- delete (pending: prune is off) PromptVersion/bot@1.0.0 ⚠ destructive\n    ${reason}\n`);
    expect(deleteOf(json, 'PromptVersion/bot@1.0.0')).toMatchObject({ pending: true, destructive: true, reason });
  });

  it('stays a plain pending delete when it serves nothing', async () => {
    const { text, json } = await planAfter([TEMPLATE, version('1.0.0'), version('1.1.0')], [TEMPLATE, version('1.1.0')], false);
    expect(text).toContain(`- delete (pending: prune is off) PromptVersion/bot@1.0.0\n    ${PENDING}\n`);
    expect(deleteOf(json, 'PromptVersion/bot@1.0.0')?.destructive).toBeUndefined();
  });
});
