import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { CompanyHolidaysService, nationalHolidaysOf } from '@kkd/calendar';
import { Clock, toJstIso, ValidationError } from '@kkd/core';
import { Access } from '../http/access.decorator';
import { IdParam } from '../http/id-param.decorator';
import { AuthedRequest } from '../http/request-context';
import { FieldErrors } from './form-validation.util';
import { calendarPage } from './calendar.view-model';

/** Managers' calendar: the year's national holidays and the company closings they edit. */
@Controller('calendar')
export class CalendarController {
  constructor(private readonly holidays: CompanyHolidaysService, private readonly clock: Clock) {}

  @Get()
  @Access('manager')
  async show(@Query('year') year: string | undefined, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    await this.render(req, res, 200, this.yearOf(year), {});
  }

  @Post('holidays')
  @Access('manager')
  async add(@Body() body: Record<string, unknown>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const form = { start: String(body.start ?? ''), end: String(body.end ?? ''), reason: String(body.reason ?? ''), yearly: body.yearly === 'on' };
    try {
      await this.holidays.add(form);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return this.render(req, res, 400, this.yearOf(String(body.year ?? '')), { errors: { [err.field]: err.message }, form });
    }
    res.redirect(303, `/calendar?year=${this.yearOf(String(body.year ?? ''))}`);
  }

  @Post('holidays/:id/delete')
  @Access('manager')
  async remove(@IdParam('id', 'company holiday') id: number, @Body('year') year: string | undefined, @Res() res: Response): Promise<void> {
    await this.holidays.remove(id);
    res.redirect(303, `/calendar?year=${this.yearOf(year)}`);
  }

  private yearOf(text: string | undefined): number {
    const year = Number(text);
    return Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : Number(toJstIso(this.clock.now()).slice(0, 4));
  }

  private async render(req: AuthedRequest, res: Response, status: number, year: number, form: { errors?: FieldErrors; form?: Record<string, unknown> }): Promise<void> {
    res.status(status).render('calendar', {
      title: `営業日カレンダー ${year}年`, user: req.user, csrfToken: req.csrfToken,
      ...calendarPage(year, nationalHolidaysOf(year), await this.holidays.list()), ...form,
    });
  }
}
