// The Config alone (promptctl.yaml at the top of the prompts directory), without loading any
// prompt, for commands that need only settings (`audit verify`): the same header and schema
// checks as the full load (and its check of the trail's file, which these commands name), and the
// defaults whenever those would not accept it.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { defaultConfig, normalizeConfig } from '../model/normalize.js';
import type { Config } from '../model/types.js';
import { CONFIG_FILE } from '../config/discover.js';
import { findKey, nodeStart, type DocContext } from '../config/nodes.js';
import { parseYaml } from '../config/parse.js';
import { isPlainObject } from '../config/plain-data.js';
import { readTextFile } from '../config/read.js';
import { checkAuditFile } from '../rules/audit-sinks.js';
import { checkHeader } from '../schema/header.js';
import { validators } from '../schema/validator.js';

/** The Config and whether promptctl.yaml was there and valid (`--env` says which it was when a name is not found). */
export interface ConfigResult {
  config: Config;
  status: 'absent' | 'invalid' | 'ok';
  /** promptctl.yaml, relative to cwd. */
  file: string;
}

/**
 * The defaults when the file is absent or its Config does not pass the schema, as loadProject
 * would have it.
 */
export async function loadConfig(opts: { dir: string; cwd?: string }): Promise<Config> {
  return (await loadConfigFile(opts)).config;
}

/** loadConfig, saying whether the file was absent or invalid. */
export async function loadConfigFile(opts: { dir: string; cwd?: string }): Promise<ConfigResult> {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const abs = path.join(path.resolve(cwd, opts.dir), CONFIG_FILE);
  const file = path.relative(cwd, abs).split(path.sep).join('/');
  const read = await readTextFile(abs);
  // A file that is there but cannot be read as text (UTF-16 from Windows, binary, too large) is
  // an invalid config, which validate reports at its line; only a file that is not there is absent.
  if (!read.ok) return { config: defaultConfig(), status: (await isThere(abs)) ? 'invalid' : 'absent', file };
  const parsed = parseYaml(read.text, file);
  // A Config with a duplicate key is an invalid one (its YAML error says so), not an absent one;
  // so is a second Config (a merge that kept both sides), which the load refuses (config/duplicate):
  // which settings and environments the file means is not known, so neither document's are taken.
  const configs = parsed.documents.filter((x) => isPlainObject(x.data) && x.data.kind === 'Config');
  const d = configs[0];
  if (d?.yamlProblems || configs.length > 1) return { config: defaultConfig(), status: 'invalid', file };
  // A warning (a list item running on) does not make a file without a Config an invalid one.
  if (!d) return { config: defaultConfig(), status: parsed.diagnostics.some((x) => x.severity === 'error') ? 'invalid' : 'absent', file };
  const ctx: DocContext = { file: d.file, doc: d.doc, src: d.src, lineCounter: d.lineCounter };
  const valid = checkHeader(ctx, d.data).diagnostics.length === 0 && validators().validate('Config', d.data).length === 0;
  if (!valid) return { config: defaultConfig(), status: 'invalid', file };
  const config = normalizeConfig(d.data as Record<string, unknown>, nodeStart(ctx, findKey(ctx, [], 'kind')));
  // An audit.file no file system takes names no trail: `audit path` printed it, apply failed on it.
  if (checkAuditFile(config).length > 0) return { config: defaultConfig(), status: 'invalid', file };
  return { config, status: 'ok', file };
}

/** Whether a file is at `abs` (through a link too): a directory or a broken link is no config. */
async function isThere(abs: string): Promise<boolean> {
  return stat(abs).then(
    (st) => st.isFile(),
    () => false,
  );
}
