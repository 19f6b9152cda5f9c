import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig, LeasedTicker, LeaseService } from '@kkd/core';
import { ImapIntakeService } from '../imap-intake.service';

const NAME = 'imap-intake';

/** Thin trigger: with IMAP_URL set, one instance (the lease holder) polls the mailbox. */
@Injectable()
export class ImapIntakeJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly ticker: LeasedTicker;

  constructor(private readonly imap: ImapIntakeService, leases: LeaseService, private readonly config: AppConfig, private readonly registry: SchedulerRegistry) {
    this.ticker = new LeasedTicker(NAME, leases, Math.max(120_000, config.IMAP_POLL_INTERVAL_MS * 3), () => imap.poll());
  }

  onApplicationBootstrap(): void {
    if (this.config.RUN_SCHEDULER && this.imap.enabled) {
      this.registry.addInterval(NAME, setInterval(() => void this.tick(), this.config.IMAP_POLL_INTERVAL_MS));
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', NAME)) this.registry.deleteInterval(NAME);
    await this.ticker.idle();
  }

  tick(): Promise<void> {
    return this.ticker.tick();
  }
}
