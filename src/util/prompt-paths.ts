// Which paths below a prompts directory hold its documents. Discovery reads these files
// (config/discover.ts), and rollback reads the same ones in git history (git/history.ts): a split
// in a file discovery passes over never routed anything, so it is no state to roll back to.

/** A YAML file's name as discovery reads it: `.yaml` or `.yml`, lower case (DESIGN §2). */
export const YAML_FILE = /\.ya?ml$/;

/** Directories never read: dependencies, and a mounted volume's own (root's, unreadable). */
export const LEFT_OUT_DIR = /(?:^|\/)(?:node_modules|lost\+found)(?:\/|$)/;

/** Whether `rel` (below the prompts directory, forward slashes) is a file discovery reads: no dot-entry on the way, nor a left-out directory. */
export function isPromptFilePath(rel: string): boolean {
  return YAML_FILE.test(rel) && !LEFT_OUT_DIR.test(rel) && rel.split('/').every((name) => !name.startsWith('.'));
}
