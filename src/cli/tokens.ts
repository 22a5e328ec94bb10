// Placeholder registration; replaced by the real command.
import type { Command } from 'commander';
import { UserError } from '../util/errors.js';

export function registerTokens(program: Command): void {
  program
    .command('tokens')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError('tokens is not built yet');
    });
}
