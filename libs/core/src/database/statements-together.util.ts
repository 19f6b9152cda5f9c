import { EntityManager } from 'typeorm';

type Results<T extends readonly (() => unknown)[]> = { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };

/**
 * Runs independent statements of one transaction. On SQLite at once, so that their round trips
 * overlap: every write of the intake waits for the one before it on the single writer, so each
 * round trip saved is throughput. Unlike Promise.all it settles only when every statement has
 * (none is left running when the caller rolls back to a savepoint), then throws the first failure.
 * On PostgreSQL one after the other, in the order given (a client runs one query at a time, and
 * the first may take a lock the others rely on). A statement may return null when the case does
 * not need it.
 */
export async function statementsTogether<T extends readonly (() => unknown)[] | []>(em: EntityManager, statements: T): Promise<Results<T>> {
  if (em.connection.options.type === 'postgres') {
    const values: unknown[] = [];
    for (const statement of statements) values.push(await statement());
    return values as Results<T>;
  }
  const results: PromiseSettledResult<unknown>[] = await Promise.allSettled(statements.map((statement) => statement()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as Results<T>;
}
