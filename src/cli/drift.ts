// Placeholder registration; replaced by the real command.
import type { Command } from 'commander';
import { UserError } from '../util/errors.js';

export function registerDrift(program: Command): void {
  program
    .command('drift')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError('drift is not built yet');
    });
}
