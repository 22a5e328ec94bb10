// A guide's `publish` as export writes it (DESIGN §2, §6): only where leaving it out would not plan
// as unchanged against the org exported. `export --env staging` wrote `publish: ProductionReady` on
// every guide with a production version, which, committed, switched off staging's TestReady step
// (an edit planned as "a new version replaces production version 1.0"). And a re-export (--force)
// over git's own YAML holding `publish: TestReady` rewound the guide to production's text, with
// `publish` gone, and plan then said "No changes": the rewind went into git unnoticed.
import { execFileSync } from 'node:child_process';
import { appendFile, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    staging: {credentials: PCTL_GUIDE_PUBLISH_STAGING, guidePublish: TestReady}
`;

const guide = (publish?: string, name = 'CCA Guide', file = 'cca-guide') => `apiVersion: promptctl/v1
kind: Guide
metadata:
  name: ${name}
spec:
  instruction:
    file: guides/${file}.md
${publish ? `  publish: ${publish}\n` : ''}`;

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

async function project(publish?: string): Promise<{ cli: (args: string[]) => Promise<CliResult>; path: string }> {
  dir = await tempDir('promptctl-export-guide-publish-');
  const path = dir.path;
  await mkdir(join(path, 'prompts/guides'), { recursive: true });
  await writeFile(join(path, 'prompts/promptctl.yaml'), CONFIG);
  await writeFile(join(path, 'prompts/guides/cca-guide.yaml'), guide(publish));
  await writeFile(join(path, 'prompts/guides/cca-guide.md'), 'Help the customer.\n');
  return { cli: (args) => runCliInProcess(['--no-color', ...args], { cwd: path }), path };
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });

describe("export of a guide with a production version from an environment whose guidePublish is TestReady", () => {
  it('leaves publish out, so the export plans unchanged and an edit of it goes to TestReady, production kept', { timeout: 60_000 }, async () => {
    const { cli, path } = await project('ProductionReady');
    const applied = await cli(['apply', '--env', 'staging', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);

    const exported = await cli(['export', '--env', 'staging', '--out', 'ex']);
    expect(exported.code, exported.stderr).toBe(0);
    // Before: `publish: ProductionReady`, which wins over staging's guidePublish.
    expect(await readFile(join(path, 'ex/guides/cca-guide.yaml'), 'utf8')).not.toContain('publish');
    await copyFile(join(path, 'prompts/promptctl.yaml'), join(path, 'ex/promptctl.yaml'));
    const unchanged = await cli(['plan', '--env', 'staging', '--dir', 'ex', '--detailed-exitcode']);
    expect(unchanged.code, unchanged.stdout + unchanged.stderr).toBe(0);

    await appendFile(join(path, 'ex/guides/cca-guide.md'), 'Be brief.\n');
    const edited = await cli(['plan', '--env', 'staging', '--dir', 'ex']);
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.stdout).toContain('a new version after production version 1.0, published to TestReady; production stays 1.0');
  });
});

describe('export --force over git’s guide held at publish: TestReady', () => {
  it('exports the TestReady version git applied, keeping publish, so nothing is rewound', { timeout: 60_000 }, async () => {
    const { cli, path } = await project('ProductionReady');
    // And a guide git holds at publish: ProductionReady, the default here, written all the same.
    await writeFile(join(path, 'prompts/guides/test-ready-guide.yaml'), guide('ProductionReady', 'Test Ready Guide', 'test-ready-guide'));
    await writeFile(join(path, 'prompts/guides/test-ready-guide.md'), 'Hi tested\n');
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    // git moves on: new text, held at TestReady; apply makes TestReady 2.0, production 1.0 keeps the old text.
    await writeFile(join(path, 'prompts/guides/cca-guide.yaml'), guide('TestReady'));
    await writeFile(join(path, 'prompts/guides/cca-guide.md'), 'Help the customer, kindly.\n');
    const applied = await cli(['apply', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    git(path, 'init', '-q', '-b', 'main');
    git(path, 'add', '-A');
    git(path, 'commit', '-q', '-m', 'prompts');

    const exported = await cli(['export', '--out', 'prompts', '--force']);
    expect(exported.stderr).toContain('warning: Guide/CCA Guide: exported its latest version 2.0 (TestReady), the version its YAML\'s publish: TestReady selects; production stays version 1.0 (other content), not exported');
    expect(exported.code, exported.stderr).toBe(0);
    // Before: production's text back, publish gone, and git's own version "not exported".
    expect(await readFile(join(path, 'prompts/guides/cca-guide.md'), 'utf8')).toBe('Help the customer, kindly.\n');
    expect(await readFile(join(path, 'prompts/guides/cca-guide.yaml'), 'utf8')).toContain('publish: TestReady');
    // Before: "its newer TestReady version 2.0 (other content) is not exported", of git's own version.
    expect(exported.stderr).not.toContain('is not exported');
    // Nothing of git's is rewritten: test-ready-guide.yaml keeps its publish: ProductionReady too.
    expect(git(path, 'status', '--porcelain').toString()).toBe('');
    const plan = await cli(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });
});
