// Errors a user can act on. The CLI prints their message alone (no stack) and exits 1.

export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/**
 * An error a command met before the user's interrupt (DESIGN §5: the interrupt wins): the error
 * is said as it would be, then `message`, and the exit code is the interrupt's.
 */
export class InterruptedAfterError extends Error {
  override readonly name = 'InterruptedAfterError';
  constructor(
    readonly error: unknown,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What is said of a billed call (an invocation) whose outcome is unknown, which the client does not
 * resend (genesys/unknown-outcome.ts); the test runner adds it where the client's error lacks it.
 */
export const BILLED_NOT_SENT_AGAIN = 'the gateway may have run it (each call is billed), so it was not sent again';

/** The same of a guide's turn in an AI Studio test session (each one runs the guide's model). */
export const TURN_NOT_SENT_AGAIN = 'AI Studio may have run it (each turn is billed), so it was not sent again';

/** `closedPipe`: 128 + SIGPIPE, how a Unix tool ends when the reader of its output has gone (`yes | head`). */
export const EXIT = { ok: 0, error: 1, changes: 2, interrupted: 130, closedPipe: 141 } as const;

/** What was thrown, in words: an Error's message, anything else as text. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** An fs error in words, without the stack or the temp file name. */
export function describeFsError(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return '(a directory on the way does not exist and cannot be made)';
    case 'EACCES':
    case 'EPERM':
      return '(permission denied)';
    case 'ENOTDIR':
      return '(a file is in the way of a directory)';
    case 'EROFS':
      return '(read-only file system)';
    case 'EISDIR':
      return '(it is a directory)';
    default:
      return `(${e.message.replace(/, open '.*'$/, '')})`;
  }
}

/** A file-system error no command expected (a directory without write permission, a full disk): what and where, in words. */
export function isFsError(err: unknown): err is NodeJS.ErrnoException & { path: string; syscall: string } {
  const e = err as NodeJS.ErrnoException | undefined;
  return e instanceof Error && typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code) && typeof e.path === 'string' && typeof e.syscall === 'string';
}
