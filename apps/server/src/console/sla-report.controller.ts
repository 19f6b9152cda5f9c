import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { Clock, toJstIso, ValidationError } from '@kkd/core';
import { shiftMonth, SlaReportService } from '@kkd/sla';
import { Access } from '../http/access.decorator';
import { AuthedRequest } from '../http/request-context';
import { slaReportCsv, slaReportPage } from './sla-report.view-model';

/** Managers' SLA report: a month's figures, breaches, experts, the 12-month trend, CSV. */
@Controller('reports/sla')
export class SlaReportController {
  constructor(private readonly reports: SlaReportService, private readonly clock: Clock) {}

  @Get()
  @Access('manager')
  async show(@Query('month') month: string | undefined, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const report = await this.reports.month(this.monthOf(month));
    res.render('sla-report', {
      title: `SLAレポート ${report.month}`, user: req.user, csrfToken: req.csrfToken,
      prev: shiftMonth(report.month, -1), next: shiftMonth(report.month, 1), ...slaReportPage(report),
    });
  }

  @Get('csv')
  @Access('manager')
  async csv(@Query('month') month: string | undefined, @Res() res: Response): Promise<void> {
    const report = await this.reports.month(this.monthOf(month));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="sla-report-${report.month}.csv"`);
    res.send(slaReportCsv(report));
  }

  /** The requested month, or this month in Japan; a malformed one is an error, not a guess. */
  private monthOf(month: string | undefined): string {
    if (month === undefined || month === '') return toJstIso(this.clock.now()).slice(0, 7);
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new ValidationError('month', '月は YYYY-MM の形式で指定してください。');
    return month;
  }
}
