// Placeholder registration; replaced by the real command.
import type { Command } from 'commander';
import { UserError } from '../util/errors.js';

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError('audit is not built yet');
    });
}
