import { Controller, Get, Query } from '@nestjs/common';
import { IsString, Matches } from 'class-validator';
import { toJstIso } from '@kkd/core';
import { ReportConsult, SlaReportService } from '@kkd/sla';
import { Access } from '../http/access.decorator';

export class MonthQuery {
  @IsString() @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM' }) month: string;
}

const iso = (d: Date | null) => (d ? toJstIso(d) : null);
const breach = (c: ReportConsult) => ({
  number: c.number, subject: c.subject, receivedAt: iso(c.receivedAt), firstDueAt: iso(c.firstDueAt),
  firstResponseAt: iso(c.firstResponseAt), outcome: c.outcome, expert: c.expert,
});

@Controller('api/reports')
export class ReportsController {
  constructor(private readonly reports: SlaReportService) {}

  /** The SLA report's figures for a month (the console page shows the same). */
  @Get('sla')
  @Access('manager')
  async sla(@Query() query: MonthQuery) {
    const { consults: _rows, breaches, ...figures } = await this.reports.month(query.month);
    return { ...figures, breaches: breaches.map(breach) };
  }
}
