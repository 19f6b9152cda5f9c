import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { Clock, isJstMonth, jstMonthOf, shiftJstMonth, ValidationError } from '@kkd/core';
import { StaffUser } from '@kkd/staff';
import { BillingExportService, UsageCloseService, UsageMonthClosedError, UsageRefusedError, UsageService } from '@kkd/usage';
import { Access } from '../http/access.decorator';
import { CurrentUser } from '../http/current-user.decorator';
import { AuthedRequest } from '../http/request-context';
import { validateForm } from './form-validation.util';
import { UsageDecisionForm, UsageMonthForm, UsageReopenForm, UsageSettingsForm } from './usage.dto';
import { candidateView, UsagePageForms, usageLink, usagePage } from './usage.view-model';

const text = (body: unknown, name: string) => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};
/** A domain refusal shown on the form instead of an error page. */
const refusal = (err: unknown) => (err instanceof ValidationError || err instanceof UsageMonthClosedError || err instanceof UsageRefusedError ? err : null);

/**
 * Managers' monthly usage: members' counts and billing candidates, decisions (billable or waived
 * with a reason), close and reopen, the settings, and the billing CSV.
 */
@Controller('usage')
export class UsageController {
  constructor(
    private readonly usage: UsageService,
    private readonly closer: UsageCloseService,
    private readonly billing: BillingExportService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Access('manager')
  async show(@Query() query: Record<string, string | undefined>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    await this.render(req, res, 200, this.monthOf(query.month), {}, candidateView(query.show, query.page));
  }

  @Get('csv')
  @Access('manager')
  async csv(@Query('month') month: string | undefined, @Res() res: Response): Promise<void> {
    const { csv, usage } = await this.billing.csv(this.monthOf(month));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="billing-${usage.month}.csv"`);
    res.send(csv);
  }

  @Post('decisions')
  @Access('manager')
  async decide(@Body() body: unknown, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const month = this.monthOf(text(body, 'month'));
    const view = candidateView(text(body, 'show'), text(body, 'page'));
    const { value, errors } = validateForm(UsageDecisionForm, body);
    const typed = { consultNumber: Number(text(body, 'consultNumber')), decision: text(body, 'decision'), reason: text(body, 'reason') };
    if (errors) return this.render(req, res, 400, month, { decision: { ...typed, errors } }, view);
    try {
      await this.usage.decide({ consultNumber: value.consultNumber, decision: value.decision, reason: value.reason }, user);
    } catch (err) {
      const refused = refusal(err);
      if (!refused) throw err;
      return this.render(req, res, err instanceof ValidationError ? 400 : 409, month, { decision: { ...typed, errors: { [String(refused.details.field ?? 'decision')]: refused.message } } }, view);
    }
    res.redirect(303, usageLink(month, view, `#consult-${value.consultNumber}`));
  }

  @Post('close')
  @Access('manager')
  async close(@Body() body: unknown, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(UsageMonthForm, body);
    const month = this.monthOf(text(body, 'month'));
    if (errors) return this.render(req, res, 400, month, { close: { errors } });
    try {
      await this.closer.close(value.month, user);
    } catch (err) {
      const refused = refusal(err);
      if (!refused) throw err;
      return this.render(req, res, 409, month, { close: { errors: { month: refused.message } } });
    }
    res.redirect(303, `/usage?month=${value.month}`);
  }

  @Post('reopen')
  @Access('manager')
  async reopen(@Body() body: unknown, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(UsageReopenForm, body);
    const month = this.monthOf(text(body, 'month'));
    if (errors) return this.render(req, res, 400, month, { reopen: { reason: text(body, 'reason'), errors } });
    try {
      await this.closer.reopen(value.month, value.reason, user);
    } catch (err) {
      const refused = refusal(err);
      if (!refused) throw err;
      return this.render(req, res, err instanceof ValidationError ? 400 : 409, month, { reopen: { reason: value.reason, errors: { reason: refused.message } } });
    }
    res.redirect(303, `/usage?month=${value.month}`);
  }

  @Post('settings')
  @Access('manager')
  async settings(@Body() body: unknown, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const month = this.monthOf(text(body, 'month'));
    const values = { threshold: text(body, 'threshold'), notice: text(body, 'notice'), unitPrice: text(body, 'unitPrice'), taxRate: text(body, 'taxRate') };
    const { value, errors } = validateForm(UsageSettingsForm, body);
    if (errors) return this.render(req, res, 400, month, { settings: { values, errors } });
    try {
      await this.usage.updateSettings({ threshold: value.threshold, notice: value.notice, unitPrice: value.unitPrice, taxRate: value.taxRate }, user);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return this.render(req, res, 400, month, { settings: { values, errors: { [err.field]: err.message } } });
    }
    res.redirect(303, `/usage?month=${month}#settings`);
  }

  /** The requested month, or this month in Japan; a malformed one is an error, not a guess. */
  private monthOf(month: string | undefined): string {
    if (month === undefined || month === '') return jstMonthOf(this.clock.now());
    if (!isJstMonth(month)) throw new ValidationError('month', '月は YYYY-MM の形式で指定してください。');
    return month;
  }

  private async render(req: AuthedRequest, res: Response, status: number, month: string, forms: UsagePageForms, view = candidateView(undefined, undefined)): Promise<void> {
    const page = await this.usage.page(month);
    res.status(status).render('usage', {
      title: `利用件数 ${month}`, user: req.user, csrfToken: req.csrfToken,
      prev: shiftJstMonth(month, -1), next: shiftJstMonth(month, 1),
      ...usagePage(page.usage, page.settings, page.history, page.settingsHistory, view, forms),
    });
  }
}
