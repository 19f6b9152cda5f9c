import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig, LeaseService } from '@kkd/core';
import { OutboxService } from '../outbox.service';

const LEASE = 'outbox-sender';

/** Thin trigger: every OUTBOX_INTERVAL_MS, one instance (the lease holder) delivers due mail. */
@Injectable()
export class OutboxSenderJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxSenderJob.name);
  private running = false;

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

  onApplicationShutdown(): void {
    if (this.registry.doesExist('interval', LEASE)) this.registry.deleteInterval(LEASE);
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      if (!(await this.leases.acquire(LEASE, Math.max(30_000, this.config.OUTBOX_INTERVAL_MS * 5)))) return;
      while ((await this.outbox.deliverDue()) > 0) { /* drain the queue, 100 at a time */ }
    } catch (err) {
      this.logger.error(`outbox delivery failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.running = false;
    }
  }
}
