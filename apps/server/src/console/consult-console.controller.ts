import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { BusinessCalendar } from '@kkd/calendar';
import { CONSULT_STATUSES, ConsultsService, ConsultStatus, SlaState, STATUS_LABELS } from '@kkd/consults';
import { Clock } from '@kkd/core';
import { MailStore } from '@kkd/inbox';
import { memberDisplayName } from '@kkd/membership';
import { remainingLabel } from '@kkd/sla';
import { StaffUser } from '@kkd/staff';
import { Access } from '../http/access.decorator';
import { CurrentUser } from '../http/current-user.decorator';
import { AuthedRequest } from '../http/request-context';
import { NoteForm, ReplyForm, StatusForm } from './console.dto';
import { FieldErrors, validateForm } from './form-validation.util';
import { outboundItem, queueItem, rawForViewer, statusOptions, threadItem } from './consult.view-model';

const PAGE_SIZE = 50;

@Controller('consults')
export class ConsultConsoleController {
  constructor(
    private readonly consults: ConsultsService,
    private readonly store: MailStore,
    private readonly clock: Clock,
    private readonly calendar: BusinessCalendar,
  ) {}

  @Get()
  @Access('expert')
  async queue(
    @Query('status') status: string | undefined,
    @Query('sla') sla: string | undefined,
    @Query('order') order: string | undefined,
    @Query('page') pageParam: string | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const filter = (CONSULT_STATUSES as readonly string[]).includes(status ?? '') ? (status as ConsultStatus) : undefined;
    const slaFilter = sla === 'at_risk' || sla === 'breached' ? (sla as SlaState) : undefined;
    const sort = order === 'oldest' || order === 'due' ? order : 'newest';
    const page = Math.max(1, Number.parseInt(pageParam ?? '1', 10) || 1);
    const { items, total } = await this.consults.list({ status: filter, sla: slaFilter, order: sort, page, pageSize: PAGE_SIZE });
    const now = this.clock.now();
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const link = (p: number) => `/consults?${new URLSearchParams({ ...(filter ? { status: filter } : {}), ...(slaFilter ? { sla: slaFilter } : {}), order: sort, page: String(p) })}`;
    res.render('queue', {
      title: '相談一覧', user: req.user, csrfToken: req.csrfToken, total, page, pages,
      items: items.map((c) => queueItem(c, this.consults.slaStateOf(c, now), this.remaining(c.dueAt, now))),
      statuses: CONSULT_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s], selected: s === filter })),
      sla: slaFilter ?? '', order: sort, prev: page > 1 ? link(page - 1) : null, next: page < pages ? link(page + 1) : null,
    });
  }

  @Get(':number')
  @Access('expert')
  async show(@Param('number', ParseIntPipe) number: number, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    await this.renderConsult(number, user, req, res, 200, {});
  }

  @Post(':number/reply')
  @Access('expert')
  async reply(@Param('number', ParseIntPipe) number: number, @Body() body: unknown, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(ReplyForm, body);
    if (errors) return this.renderConsult(number, user, req, res, 400, { replyErrors: errors, replyBody: value.body });
    await this.consults.reply(number, user, value.body, value.status ?? 'waiting_member');
    res.redirect(303, `/consults/${number}#latest`);
  }

  @Post(':number/notes')
  @Access('expert')
  async note(@Param('number', ParseIntPipe) number: number, @Body() body: unknown, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(NoteForm, body);
    if (errors) return this.renderConsult(number, user, req, res, 400, { noteErrors: errors, noteBody: value.body });
    await this.consults.addNote(number, user, value.body);
    res.redirect(303, `/consults/${number}#latest`);
  }

  @Post(':number/status')
  @Access('expert')
  async status(@Param('number', ParseIntPipe) number: number, @Body() body: unknown, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(StatusForm, body);
    if (errors) return this.renderConsult(number, user, req, res, 400, { statusErrors: errors });
    await this.consults.update(number, { status: value.status });
    res.redirect(303, `/consults/${number}`);
  }

  private async renderConsult(number: number, user: StaffUser, req: AuthedRequest, res: Response, status: number, form: { replyErrors?: FieldErrors; replyBody?: string; noteErrors?: FieldErrors; noteBody?: string; statusErrors?: FieldErrors }): Promise<void> {
    const { consult, thread, outbound } = await this.consults.detail(number);
    const messages = await Promise.all(thread.map(async (m) => {
      const raw = m.parseError && m.rawPath ? rawForViewer((await this.store.read(m.rawPath)).toString('utf8'), user) : null;
      return threadItem(m, raw);
    }));
    const now = this.clock.now();
    // The due time shown is that of the member message still waiting for us, else the first one.
    const waiting = consult.dueAt && thread.find((m) => m.direction === 'inbound' && m.dueAt?.getTime() === consult.dueAt!.getTime());
    res.status(status).render('consult', {
      title: `KKD#${consult.number} ${consult.subject}`, user, csrfToken: req.csrfToken,
      consult: {
        number: consult.number, subject: consult.subject, status: consult.status, category: consult.category, priority: consult.priority,
        member: memberDisplayName(consult.member), assignee: consult.assignee?.name ?? null, receivedAt: consult.receivedAt,
        dueAt: consult.dueAt ?? consult.firstDueAt, waiting: !!consult.dueAt, firstResponseAt: consult.firstResponseAt,
        slaState: this.consults.slaStateOf(consult, now), remaining: this.remaining(consult.dueAt, now),
        dueExplanation: this.calendar.explainDue(waiting ? waiting.occurredAt : consult.receivedAt).text,
        hasEncrypted: thread.some((m) => m.attachments?.some((a) => a.encrypted)),
      },
      messages, outbound: outbound.map(outboundItem), statusOptions: statusOptions(consult.status),
      replyStatusOptions: statusOptions('waiting_member').filter((s) => s.value !== 'new'),
      ...form,
    });
  }

  private remaining(dueAt: Date | null, now: Date): string | null {
    return dueAt ? remainingLabel((from, to) => this.calendar.businessMinutesBetween(from, to), dueAt, now) : null;
  }
}
