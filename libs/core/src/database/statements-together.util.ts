/**
 * Runs independent statements of one transaction at once, so that their round trips overlap: on
 * SQLite every write of the intake waits for the one before it, so each round trip saved is
 * throughput. Unlike Promise.all it settles only when every statement has (none is left running
 * when the caller rolls back to a savepoint), then throws the first failure. A `null` in the list
 * stands for a statement the case does not need.
 */
export async function statementsTogether<T extends readonly unknown[] | []>(statements: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results: PromiseSettledResult<unknown>[] = await Promise.allSettled(statements as readonly unknown[]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}
