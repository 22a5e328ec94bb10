// The example prompts/ copied into a test's project for promote and rollback, without the config's
// `promotion` list: the promotion check would read the previous environment's org.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './cli.js';

export function copyExamplePrompts(cwd: string): void {
  cpSync(join(REPO, 'prompts'), join(cwd, 'prompts'), { recursive: true });
  const config = join(cwd, 'prompts/promptctl.yaml');
  writeFileSync(config, readFileSync(config, 'utf8').replace(/^ {2}promotion: .*\n/m, ''));
}
