import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig, LeaseService } from '@kkd/core';
import { OutboxService } from '../outbox.service';

const LEASE = 'outbox-sender';

/** Thin trigger: every OUTBOX_INTERVAL_MS, one instance (the lease holder) delivers due mail. */
@Injectable()
export class OutboxSenderJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxSenderJob.name);
  private running: Promise<void> | null = null;

  constructor(
    private readonly outbox: OutboxService,
    private readonly leases: LeaseService,
    private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.RUN_SCHEDULER) return;
    this.registry.addInterval(LEASE, setInterval(() => void this.tick(), this.config.OUTBOX_INTERVAL_MS));
  }

  /** Stops the timer and lets a delivery under way finish before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', LEASE)) this.registry.deleteInterval(LEASE);
    await this.running;
  }

  /** One delivery round; a call while one runs waits for that one instead of starting another. */
  tick(): Promise<void> {
    this.running ??= this.deliver().finally(() => { this.running = null; });
    return this.running;
  }

  private async deliver(): Promise<void> {
    try {
      if (!(await this.leases.acquire(LEASE, Math.max(30_000, this.config.OUTBOX_INTERVAL_MS * 5)))) return;
      while ((await this.outbox.deliverDue()) > 0) { /* drain the queue, 100 at a time */ }
    } catch (err) {
      this.logger.error(`outbox delivery failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
