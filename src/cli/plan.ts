// Placeholder registration; replaced by the real command.
import type { Command } from 'commander';
import { UserError } from '../util/errors.js';

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError('plan is not built yet');
    });
}
