// An OAuth client id as messages show it: shortened, in the target line and wherever else a
// client is named (a saved plan's org at apply), so the same client reads the same everywhere.

/** Enough of the client id to tell clients apart; the id is not a secret, but keep labels short. */
export function clientIdHint(clientId: string): string {
  return clientId.length <= 4 ? clientId : `${clientId.slice(0, 4)}…`;
}
