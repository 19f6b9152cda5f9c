import { Logger } from '@nestjs/common';
import { LeaseService } from '../database/lease.service';

/**
 * Runs `work` when ticked, on one server instance at a time (the holder of the lease `name`), and
 * never twice at once in this process. Scheduled jobs are thin triggers around one of these.
 */
export class LeasedTicker {
  private running: Promise<void> | null = null;
  private readonly logger: Logger;

  constructor(
    private readonly name: string,
    private readonly leases: LeaseService,
    private readonly leaseMs: number,
    private readonly work: () => Promise<unknown>,
  ) {
    this.logger = new Logger(`LeasedTicker:${name}`);
  }

  /** One run; a tick while one runs waits for that one instead of starting another. */
  tick(): Promise<void> {
    this.running ??= this.run().finally(() => { this.running = null; });
    return this.running;
  }

  /** Resolves when no run is under way (for a clean shutdown). */
  async idle(): Promise<void> {
    await this.running;
  }

  private async run(): Promise<void> {
    try {
      if (!(await this.leases.acquire(this.name, this.leaseMs))) return;
      await this.work();
    } catch (err) {
      this.logger.error(`${this.name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
