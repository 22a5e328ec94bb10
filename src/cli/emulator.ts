// Placeholder registration; replaced by the real command.
import type { Command } from 'commander';
import { UserError } from '../util/errors.js';

export function registerEmulator(program: Command): void {
  program
    .command('emulator')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError('emulator is not built yet');
    });
}
