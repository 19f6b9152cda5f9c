import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/**
 * The one way to write. SQLite has a single connection, so two transactions started at once
 * would interleave on it; here they queue instead. PostgreSQL gets a real transaction each.
 *
 * On SQLite each transaction takes the write lock with its first statement: another process on
 * the same file (the parts of the server run apart) then makes it wait (busy timeout) instead of
 * failing with SQLITE_BUSY when a transaction that began by reading tries to write.
 */
const TAKE_WRITE_LOCK = "UPDATE counters SET value = value WHERE name = 'consult_number'";

@Injectable()
export class TransactionRunner {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dataSource.options.type !== 'sqlite') return this.dataSource.transaction(work);
    const result = this.tail.then(() => this.dataSource.transaction(async (em) => {
      await em.query(TAKE_WRITE_LOCK);
      return work(em);
    }));
    this.tail = result.catch(() => undefined);
    return result;
  }
}
