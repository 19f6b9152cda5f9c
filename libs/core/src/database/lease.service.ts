import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { TransactionRunner } from './transaction-runner';

/**
 * A lease row per scheduled job so that, with several server instances on one database, each
 * job runs on one of them at a time (works on SQLite and PostgreSQL alike).
 */
@Injectable()
export class LeaseService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(LeaseService.name);
  readonly holder = randomUUID();
  /** Set at shutdown: this process takes no lease any more. */
  private closing = false;
  /** When this instance last tried for each lease, and last held it: the scheduler's heartbeat. */
  private readonly attempts = new Map<string, { triedAt: Date; heldAt: Date | null }>();

  constructor(private readonly tx: TransactionRunner) {}

  /** True when this instance now holds `name` until now + ttlMs. */
  async acquire(name: string, ttlMs: number, now = new Date()): Promise<boolean> {
    if (this.closing) return false;
    const held = await this.tx.run(async (em) => {
      await em.createQueryBuilder().insert().into('leases').values({ name, holder: '', expires_at: 0 }).orIgnore().execute();
      const result = await em.createQueryBuilder().update('leases')
        .set({ holder: this.holder, expires_at: now.getTime() + ttlMs })
        .where('name = :name AND (expires_at < :now OR holder = :holder)', { name, now: now.getTime(), holder: this.holder })
        .execute();
      return (result.affected ?? 0) > 0;
    });
    this.attempts.set(name, { triedAt: now, heldAt: held ? now : this.attempts.get(name)?.heldAt ?? null });
    return held;
  }

  /** Each lease this instance has tried for: when it last tried, and when it last held it. */
  activity(): { name: string; triedAt: Date; heldAt: Date | null }[] {
    return [...this.attempts].map(([name, a]) => ({ name, ...a }));
  }

  async release(name: string): Promise<void> {
    await this.tx.run((em) => em.createQueryBuilder().update('leases').set({ expires_at: 0 })
      .where('name = :name AND holder = :holder', { name, holder: this.holder }).execute());
  }

  /**
   * On a graceful stop, hands this process's leases back so another instance takes them at its
   * next tick instead of waiting for them to expire. CoreModule is global, so Nest calls this after
   * every job module's beforeApplicationShutdown (which waits for the run under way) and before
   * the database closes (onApplicationShutdown). If the database is away, the leases expire alone.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    try {
      const result = await this.tx.run((em) => em.createQueryBuilder().update('leases').set({ expires_at: 0 })
        .where('holder = :holder AND expires_at > 0', { holder: this.holder }).execute());
      if (result.affected) this.logger.log(`released ${result.affected} scheduler lease(s) for the other instances`);
    } catch (err) {
      this.logger.warn(`could not release the scheduler leases (they expire by themselves): ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
