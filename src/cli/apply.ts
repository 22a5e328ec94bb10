// Placeholder registration; replaced by the real command.
import type { Command } from 'commander';
import { UserError } from '../util/errors.js';

export function registerApply(program: Command): void {
  program
    .command('apply')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError('apply is not built yet');
    });
}
