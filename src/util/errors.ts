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

export const EXIT = { ok: 0, error: 1, changes: 2, interrupted: 130 } as const;
