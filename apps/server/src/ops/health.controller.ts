import { Controller, Get, Res } from '@nestjs/common';
import { Response } from 'express';
import { DataSource } from 'typeorm';
import { AppConfig, Clock, LeaseService } from '@kkd/core';
import { SmtpIntakeServer } from '@kkd/inbox';
import { Access } from '../http/access.decorator';

/**
 * For load balancers and operators, without sign-in: the database answers, the SMTP listener is
 * up (when this instance runs it), and how long ago this instance's scheduler last ticked each job.
 * 503 when the database or the SMTP listener is down; scheduler figures are for reading.
 */
@Controller('healthz')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly smtp: SmtpIntakeServer,
    private readonly leases: LeaseService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Access('public')
  async check(@Res({ passthrough: true }) res: Response) {
    const database = await this.dataSource.query('SELECT 1').then(() => 'ok', () => 'unreachable');
    const smtp = !this.config.RUN_SMTP ? 'off' : this.smtp.listening ? 'ok' : 'down';
    const now = this.clock.now().getTime();
    const seconds = (at: Date | null) => (at ? Math.round((now - at.getTime()) / 100) / 10 : null);
    const jobs = Object.fromEntries(this.leases.activity().map((a) => [a.name, { lastTickSecondsAgo: seconds(a.triedAt), lastRunSecondsAgo: seconds(a.heldAt) }]));
    const healthy = database === 'ok' && smtp !== 'down';
    if (!healthy) res.status(503);
    return { status: healthy ? 'ok' : 'unavailable', database, smtp, scheduler: { running: this.config.RUN_SCHEDULER, jobs } };
  }
}
