// Discovery: the YAML files of a prompts directory, in a deterministic order.
import fg from 'fast-glob';

export const CONFIG_FILE = 'promptctl.yaml';

/**
 * Paths (relative to `dir`, with forward slashes, sorted by code unit) of every `*.yaml`/`*.yml`
 * entry under `dir`, skipping node_modules and dot-directories. Linked directories are not entered
 * (no loops, no escaping through a linked directory).
 */
export async function discoverYamlFiles(dir: string): Promise<string[]> {
  const found = await fg(['**/*.yaml', '**/*.yml'], {
    cwd: dir,
    dot: false,
    // Symbolic links are listed but not followed; the loader resolves each one and refuses
    // those that lead outside the directory.
    onlyFiles: false,
    followSymbolicLinks: false,
    ignore: ['**/node_modules/**'],
    unique: true,
    suppressErrors: true,
  });
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
