import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig, LeasedTicker, LeaseService } from '@kkd/core';
import { NewConsultNoticeService } from '../new-consult-notice.service';

const NAME = 'new-consult-digest';
/** Checked every 5 minutes: the digests go out at the first tick after 08:30 JST, once a day. */
const INTERVAL_MS = 5 * 60_000;

/** Thin trigger: one instance (the lease holder) sends the day's new-consult digests. */
@Injectable()
export class NewConsultDigestJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly ticker: LeasedTicker;

  constructor(notices: NewConsultNoticeService, leases: LeaseService, private readonly config: AppConfig, private readonly registry: SchedulerRegistry) {
    this.ticker = new LeasedTicker(NAME, leases, INTERVAL_MS * 2, () => notices.sendDigests());
  }

  onApplicationBootstrap(): void {
    if (this.config.RUN_SCHEDULER) this.registry.addInterval(NAME, setInterval(() => void this.tick(), INTERVAL_MS));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', NAME)) this.registry.deleteInterval(NAME);
    await this.ticker.idle();
  }

  tick(): Promise<void> {
    return this.ticker.tick();
  }
}
