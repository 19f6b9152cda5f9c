import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig, LeasedTicker, LeaseService } from '@kkd/core';
import { OutboxService } from '../outbox.service';

const NAME = 'outbox-sender';

/** Thin trigger: every OUTBOX_INTERVAL_MS, one instance (the lease holder) delivers due mail. */
@Injectable()
export class OutboxSenderJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly ticker: LeasedTicker;
  /** Set at shutdown: the run under way stops after its batch instead of draining the whole queue. */
  private stopping = false;

  constructor(outbox: OutboxService, leases: LeaseService, private readonly config: AppConfig, private readonly registry: SchedulerRegistry) {
    const leaseMs = Math.max(30_000, config.OUTBOX_INTERVAL_MS * 5);
    this.ticker = new LeasedTicker(NAME, leases, leaseMs, async () => {
      // Drains the queue 100 at a time, renewing the lease before each batch: under steady load
      // the run can outlast one lease, and another instance must not take it meanwhile.
      while ((await outbox.deliverDue()) > 0 && !this.stopping) {
        if (!(await leases.acquire(NAME, leaseMs))) break;
      }
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.RUN_SCHEDULER) this.registry.addInterval(NAME, setInterval(() => void this.tick(), this.config.OUTBOX_INTERVAL_MS));
  }

  /** Stops the timer and lets the batch under way finish before the database closes (the rest waits, queued). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.registry.doesExist('interval', NAME)) this.registry.deleteInterval(NAME);
    await this.ticker.idle();
  }

  tick(): Promise<void> {
    return this.ticker.tick();
  }
}
