// Placeholder registration; replaced by the real command.
import type { Command } from 'commander';
import { UserError } from '../util/errors.js';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError('export is not built yet');
    });
}
