import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig, LeasedTicker, LeaseService } from '@kkd/core';
import { ConsultSearchIndexer } from '../consult-search-indexer.service';

const NAME = 'consult-search-index';
/** How often the index catches up: the search lags the mail by about this much. */
const INTERVAL_MS = 2000;
/** Work per run at most (a backfill goes on at the next run), well inside the lease. */
const RUN_BUDGET_MS = 10_000;
const LEASE_MS = 60_000;

/** Thin trigger: every 2 s, one instance (the lease holder) brings the consult search up to date. */
@Injectable()
export class ConsultSearchIndexJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly ticker: LeasedTicker;

  constructor(indexer: ConsultSearchIndexer, leases: LeaseService, private readonly config: AppConfig, private readonly registry: SchedulerRegistry) {
    this.ticker = new LeasedTicker(NAME, leases, LEASE_MS, () => indexer.catchUp(RUN_BUDGET_MS));
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
