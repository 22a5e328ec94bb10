// A bounded pool: at most `limit` calls in flight, so `promptctl test` runs concurrently without
// flooding the target (the client paces itself on the server's rate-limit headers on top).

/**
 * Runs `fn` over `items` with at most `limit` at a time; results in input order. The first
 * failure stops new items from starting, waits for those in flight, and is rethrown.
 */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failure: { err: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!, i);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.err;
  return out;
}
