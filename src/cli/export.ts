// promptctl export --out DIR: the live org as promptctl YAML, so a team can adopt promptctl on an
// existing org. `plan --dir DIR` right after shows no changes.
import { mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { exportDocuments } from '../export/documents.js';
import { readLiveState } from '../genesys/live.js';
import { EXIT, UserError } from '../util/errors.js';
import { writeFileAtomic } from '../util/fs.js';
import { announceTarget, withTarget } from './common.js';
import { info } from './output.js';

interface ExportFlags {
  out: string;
  force?: boolean;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write the live org as promptctl YAML (one file per template, filters in safety-filters.yaml)')
    .requiredOption('--out <dir>', 'directory to write (must be empty or absent unless --force)')
    .option('--force', 'write into a non-empty directory, replacing files of the same name')
    .action(async (flags: ExportFlags) => {
      process.exitCode = await runExport(flags, process.cwd(), process.env);
    });
}

export async function runExport(flags: ExportFlags, cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  announceTarget(env);
  const dir = resolve(cwd, flags.out);
  const existing = await listDir(dir);
  if (existing.length > 0 && !flags.force) {
    throw new UserError(`${flags.out} is not empty (${existing.length} entr${existing.length === 1 ? 'y' : 'ies'}); choose an empty directory or pass --force`);
  }

  const live = await withTarget(cwd, env, (target) => readLiveState(target.api));
  const result = exportDocuments(live);
  const { documentsToYaml } = await import('../export/yaml.js');
  for (const w of result.warnings) info(`warning: ${w}`);
  await mkdir(dir, { recursive: true });
  for (const f of result.files) await writeFileAtomic(join(dir, f.path), documentsToYaml(f.documents));

  const written = new Set(result.files.map((f) => f.path));
  const leftovers = existing.filter((e) => /\.ya?ml$/i.test(e) && !written.has(e));
  for (const l of leftovers) info(`warning: ${join(flags.out, l)} was there before and is not part of the export; plan --dir ${flags.out} will read it too`);

  const c = result.counts;
  info(
    `exported ${c.templates} template${c.templates === 1 ? '' : 's'}, ${c.versions} version${c.versions === 1 ? '' : 's'}, ` +
      `${c.splits} traffic split${c.splits === 1 ? '' : 's'} and ${c.filters} safety filter${c.filters === 1 ? '' : 's'} ` +
      `to ${flags.out} (${result.files.length} file${result.files.length === 1 ? '' : 's'})`,
  );
  return EXIT.ok;
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    if (code === 'ENOTDIR') throw new UserError(`--out ${dir} is a file, not a directory`);
    throw err;
  }
}
