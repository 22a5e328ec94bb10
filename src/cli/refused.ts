// Input refused as invalid (the prompts, a saved plan): the error carries the diagnostics that say
// why, for a document that stands for the failed run (a --format json failure document, test's
// JUnit file). Apart from common.ts so that reading a plan file does not load the target's code.
import type { Diagnostic } from '../model/diagnostic.js';
import { EXIT, UserError } from '../util/errors.js';

/**
 * The error says how many problems (or the one), and carries them, each already said on stderr.
 * `exitCode`: 130 when an interrupt came meanwhile (DESIGN §4).
 */
export class FilesRefused extends UserError {
  constructor(
    message: string,
    readonly diagnostics: readonly Diagnostic[],
    exitCode: number = EXIT.error,
  ) {
    super(message, exitCode);
  }
}
