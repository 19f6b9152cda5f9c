import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { LoginFailure } from './entities/login-failure.entity';
import { LoginFailureStore } from './utils/login-throttle';
import { sha256Hex } from './utils/secret-token.util';

/** The login throttle's counts in the database (table login_failures), keys hashed. */
@Injectable()
export class LoginFailureRepository implements LoginFailureStore {
  constructor(@InjectRepository(LoginFailure) private readonly failures: Repository<LoginFailure>) {}

  count(key: string, since: number): Promise<number> {
    return this.failures.createQueryBuilder('f').where('f.key_hash = :key AND f.failed_at >= :since', { key: sha256Hex(key), since }).getCount();
  }

  async add(key: string, at: number, expiredBefore: number): Promise<void> {
    await this.failures.insert({ keyHash: sha256Hex(key), failedAt: new Date(at) });
    // Epoch ms, as the column stores it (the query builder does not apply the column's transformer).
    await this.failures.createQueryBuilder().delete().where('failed_at < :expired', { expired: expiredBefore }).execute();
  }

  async clear(keys: string[]): Promise<void> {
    await this.failures.delete({ keyHash: In(keys.map(sha256Hex)) });
  }
}
