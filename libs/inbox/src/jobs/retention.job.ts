import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig, Clock, LeasedTicker, LeaseService, toJstIso } from '@kkd/core';
import { RetentionService } from '../retention.service';

const NAME = 'retention';
/** Checked hourly; the deletion runs at the first check of each Japan day (and the first after a start). */
const INTERVAL_MS = 3_600_000;

/** Thin trigger: with RETENTION_DAYS set, one instance (the lease holder) deletes what passed the period, once a day. */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly ticker: LeasedTicker;
  /** The Japan date this process last ran on; another instance may run the same day (harmless: idempotent). */
  private lastDay: string | null = null;

  constructor(
    private readonly retention: RetentionService, leases: LeaseService, private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry, private readonly clock: Clock,
  ) {
    // A long first run on a large archive may outlast an hour; two runs at once would still be safe.
    this.ticker = new LeasedTicker(NAME, leases, 3 * 3_600_000, async () => {
      const day = this.today();
      await retention.purge();
      this.lastDay = day;
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.RUN_SCHEDULER && this.retention.enabled) this.registry.addInterval(NAME, setInterval(() => void this.daily(), INTERVAL_MS));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', NAME)) this.registry.deleteInterval(NAME);
    await this.ticker.idle();
  }

  /** The scheduler's check: a run unless this process already ran one on this Japan day. */
  async daily(): Promise<void> {
    if (this.lastDay !== this.today()) await this.tick();
  }

  private today(): string {
    return toJstIso(this.clock.now()).slice(0, 10);
  }

  /** One run now, as the scheduler would (tests). */
  tick(): Promise<void> {
    return this.ticker.tick();
  }
}
