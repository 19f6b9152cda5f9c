import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig, LeasedTicker, LeaseService } from '@kkd/core';
import { OutboxService } from '../outbox.service';

const NAME = 'outbox-sender';

/** Thin trigger: every OUTBOX_INTERVAL_MS, one instance (the lease holder) delivers due mail. */
@Injectable()
export class OutboxSenderJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly ticker: LeasedTicker;

  constructor(outbox: OutboxService, leases: LeaseService, private readonly config: AppConfig, private readonly registry: SchedulerRegistry) {
    this.ticker = new LeasedTicker(NAME, leases, Math.max(30_000, config.OUTBOX_INTERVAL_MS * 5), async () => {
      while ((await outbox.deliverDue()) > 0) { /* drain the queue, 100 at a time */ }
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.RUN_SCHEDULER) this.registry.addInterval(NAME, setInterval(() => void this.tick(), this.config.OUTBOX_INTERVAL_MS));
  }

  /** Stops the timer and lets a delivery under way finish before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', NAME)) this.registry.deleteInterval(NAME);
    await this.ticker.idle();
  }

  tick(): Promise<void> {
    return this.ticker.tick();
  }
}
