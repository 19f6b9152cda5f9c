import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { TransactionRunner } from '@kkd/core';
import { LoginFailure } from './entities/login-failure.entity';
import { LoginFailureStore } from './utils/login-throttle';
import { sha256Hex } from './utils/secret-token.util';

/**
 * The login throttle's counts in the database (table login_failures), keys hashed. Written through
 * the transaction runner: on SQLite a statement outside it joins whatever transaction is open on
 * the one connection, so another instance would not see the failure (or keep it) until that
 * transaction ends, and an attempt there would slip under the limit.
 */
@Injectable()
export class LoginFailureRepository implements LoginFailureStore {
  constructor(private readonly tx: TransactionRunner) {}

  count(key: string, since: number): Promise<number> {
    return this.tx.readManager.getRepository(LoginFailure).createQueryBuilder('f')
      .where('f.key_hash = :key AND f.failed_at >= :since', { key: sha256Hex(key), since }).getCount();
  }

  async add(key: string, at: number, expiredBefore: number): Promise<void> {
    await this.tx.run(async (em) => {
      await em.getRepository(LoginFailure).insert({ keyHash: sha256Hex(key), failedAt: new Date(at) });
      // Epoch ms, as the column stores it (the query builder does not apply the column's transformer).
      await em.getRepository(LoginFailure).createQueryBuilder().delete().where('failed_at < :expired', { expired: expiredBefore }).execute();
    });
  }

  async clear(keys: string[]): Promise<void> {
    await this.tx.run((em) => em.getRepository(LoginFailure).delete({ keyHash: In(keys.map(sha256Hex)) }));
  }
}
