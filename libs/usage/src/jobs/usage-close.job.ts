import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig, LeasedTicker, LeaseService } from '@kkd/core';
import { UsageCloseService } from '../usage-close.service';

const NAME = 'usage-close';
/** How often the scheduler looks whether a month is due (a read; the close itself runs once). */
const CHECK_INTERVAL_MS = 60_000;

/**
 * Thin trigger for the monthly close (1st, 09:00 JST): once at start, to catch up after downtime,
 * and then every minute, it checks whether a month is due and, if one is, the lease holder closes it.
 * The close is idempotent, so two instances or two ticks never close a month twice.
 */
@Injectable()
export class UsageCloseJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(UsageCloseJob.name);
  private readonly ticker: LeasedTicker;

  constructor(private readonly closer: UsageCloseService, leases: LeaseService, private readonly config: AppConfig, private readonly registry: SchedulerRegistry) {
    this.ticker = new LeasedTicker(NAME, leases, 10 * 60_000, () => closer.closeDue());
  }

  /** Catches up before the server serves (a month missed while it was down), then checks every minute. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.RUN_SCHEDULER) return;
    await this.check();
    this.registry.addInterval(NAME, setInterval(() => void this.check(), CHECK_INTERVAL_MS));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', NAME)) this.registry.deleteInterval(NAME);
    await this.ticker.idle();
  }

  /** Closes what is due (under the lease); does nothing, not even take the lease, when nothing is. */
  async check(): Promise<void> {
    try {
      if ((await this.closer.monthsToClose()).length) await this.ticker.tick();
    } catch (err) {
      this.logger.error(`usage close check failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** One run now, as the scheduler would (tests). */
  tick(): Promise<void> {
    return this.ticker.tick();
  }
}
