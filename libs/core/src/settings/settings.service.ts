import { Injectable, Logger } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Clock } from '../clock';
import { TransactionRunner } from '../database/transaction-runner';
import { SettingDefinition } from './setting-definition';
import { Setting } from './setting.entity';

/**
 * Product settings staff change at run time (threshold, notice text, prices, …), stored as
 * key/value rows. Reads fall back to each definition's default; writes are validated first.
 */
@Injectable()
export class SettingsService {
  private readonly logger = new Logger(SettingsService.name);

  constructor(private readonly tx: TransactionRunner, private readonly clock: Clock) {}

  async get<T>(def: SettingDefinition<T>, em: EntityManager = this.tx.readManager): Promise<T> {
    const row = await em.getRepository(Setting).findOneBy({ key: def.key });
    return this.decode(def, row?.value ?? null);
  }

  /** Several settings in one query, in the order asked. */
  async getMany<T extends readonly SettingDefinition<unknown>[]>(defs: T, em: EntityManager = this.tx.readManager): Promise<{ [K in keyof T]: T[K] extends SettingDefinition<infer V> ? V : never }> {
    const rows = await em.getRepository(Setting).findBy({ key: In(defs.map((d) => d.key)) });
    const byKey = new Map(rows.map((r) => [r.key, r.value]));
    return defs.map((d) => this.decode(d, byKey.get(d.key) ?? null)) as never;
  }

  /**
   * A stored value (or null for none) as the definition's value: a row that no longer passes
   * the rules (edited by hand, or a rule tightened) gives the default rather than a failure.
   */
  decode<T>(def: SettingDefinition<T>, stored: string | null): T {
    if (stored === null) return def.defaultValue;
    try {
      return def.parse(stored);
    } catch {
      this.logger.warn(`setting ${def.key} has an invalid stored value; using the default`);
      return def.defaultValue;
    }
  }

  /**
   * Validates and stores a value (given as text, as typed in a form); returns it as stored.
   * Pass `em` to write inside the caller's transaction.
   */
  async set<T>(def: SettingDefinition<T>, text: string, actorId: number | null, em?: EntityManager): Promise<T> {
    const value = def.parse(text);
    const write = (m: EntityManager) => m.getRepository(Setting).upsert(
      { key: def.key, value: def.format(value), updatedAt: this.clock.now(), updatedBy: actorId }, ['key'],
    );
    if (em) await write(em);
    else await this.tx.run(write);
    return value;
  }

  /** SQL giving a setting's stored text (or NULL), for reading it in the same statement as other data. */
  static storedValueSql(keyParameter: string): string {
    return `(SELECT st.value FROM settings st WHERE st.key = :${keyParameter})`;
  }
}
