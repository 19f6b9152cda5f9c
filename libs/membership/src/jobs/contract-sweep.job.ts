import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig, LeasedTicker, LeaseService } from '@kkd/core';
import { ContractSweepService } from '../contract-sweep.service';

const NAME = 'contract-sweep';
/**
 * Hourly: the work is decided by the Japan date, so it happens once a day (within the first hour
 * after midnight JST). A run at start catches up what fell due while the server was down.
 */
const INTERVAL_MS = 3_600_000;

/** Thin trigger: one instance (the lease holder) sweeps the contracts. */
@Injectable()
export class ContractSweepJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly ticker: LeasedTicker;

  constructor(sweeper: ContractSweepService, leases: LeaseService, private readonly config: AppConfig, private readonly registry: SchedulerRegistry) {
    this.ticker = new LeasedTicker(NAME, leases, 10 * 60_000, () => sweeper.sweep());
  }

  /**
   * Sweeps once before the server serves (a server started for minutes on the day a cancellation
   * takes effect applies it; /healthz lists the job from the start), then every hour. Under the
   * lease, so instances starting together sweep once; the ticker never throws.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.RUN_SCHEDULER) return;
    await this.tick();
    this.registry.addInterval(NAME, setInterval(() => void this.tick(), INTERVAL_MS));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', NAME)) this.registry.deleteInterval(NAME);
    await this.ticker.idle();
  }

  /** One run now, as the scheduler would (tests). */
  tick(): Promise<void> {
    return this.ticker.tick();
  }
}
