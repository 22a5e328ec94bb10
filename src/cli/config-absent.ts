// Why promptctl.yaml gave `--env` no environment when it was not read (cli/environments.ts): no
// file there, a path there that holds no Config, the config under another name beside it
// (promptctl.yml, another case), or a Config document written in another file of the prompts
// directory. Only on that error's path: what it reads costs nothing otherwise.
import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { CONFIG_FILE, discoverYamlFiles } from '../config/discover.js';
import { visibleName } from '../util/escapes.js';

/**
 * The config written under another name beside where promptctl.yaml belongs (`file` with that
 * name): promptctl.yml, or another case (Promptctl.yaml: one file on macOS, another on Linux).
 */
export function misnamedConfig(abs: string, file: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(dirname(abs));
  } catch {
    return undefined;
  }
  const found = names.find((n) => n !== CONFIG_FILE && /^promptctl\.ya?ml$/i.test(n) && isFile(join(dirname(abs), n)));
  return found === undefined ? undefined : join(dirname(file), found);
}

/** A Config document's kind line, at the start of a line (a document of its own, block style). */
const CONFIG_KIND = /^(kind:[ \t]*)(["']?)Config\2[ \t]*(?:#.*)?$/m;

/**
 * The first YAML file of the prompts directory that holds a Config document (`file:line:column`,
 * as validate names it: config/misplaced), when promptctl.yaml is absent. Only on this error's
 * path: every file is read, but none is parsed.
 */
export async function misplacedConfig(dirAbs: string, configFile: string): Promise<string | undefined> {
  let files: string[];
  try {
    files = (await discoverYamlFiles(dirAbs)).files;
  } catch {
    return undefined;
  }
  for (const rel of files) {
    let text: string;
    try {
      text = readFileSync(join(dirAbs, rel), 'utf8');
    } catch {
      continue;
    }
    const m = CONFIG_KIND.exec(text);
    if (!m) continue;
    const line = text.slice(0, m.index).split('\n').length;
    return `${visibleName(join(dirname(configFile), rel).split('\\').join('/'))}:${line}:${m[1]!.length + 1}`;
  }
  return undefined;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Why a Config read as absent is: no file there, or a path there that holds none (a directory, an empty file, only comments). */
export function absentConfig(abs: string, file: string): string {
  let st: Stats | undefined;
  try {
    st = statSync(abs);
  } catch {
    return `there is no ${visibleName(file)}`;
  }
  return st.isFile() ? `${visibleName(file)} holds no Config document` : `${visibleName(file)} is not a file`;
}
