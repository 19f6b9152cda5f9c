import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig, LeasedTicker, LeaseService } from '@kkd/core';
import { SlaSweepService } from '../sla-sweep.service';

const NAME = 'sla-sweep';

/** Thin trigger: every SLA_SWEEP_INTERVAL_MS, one instance (the lease holder) sweeps. */
@Injectable()
export class SlaSweepJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly ticker: LeasedTicker;

  constructor(sweeper: SlaSweepService, leases: LeaseService, private readonly config: AppConfig, private readonly registry: SchedulerRegistry) {
    this.ticker = new LeasedTicker(NAME, leases, Math.max(60_000, config.SLA_SWEEP_INTERVAL_MS * 3), () => sweeper.sweep());
  }

  onApplicationBootstrap(): void {
    if (this.config.RUN_SCHEDULER) this.registry.addInterval(NAME, setInterval(() => void this.tick(), this.config.SLA_SWEEP_INTERVAL_MS));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', NAME)) this.registry.deleteInterval(NAME);
    await this.ticker.idle();
  }

  tick(): Promise<void> {
    return this.ticker.tick();
  }
}
