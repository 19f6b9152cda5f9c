import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { ValidationError } from '@kkd/core';
import { DISCARD_REASON_MAX_LENGTH, HELD_STATUSES, HeldMailService, HeldStatus } from '@kkd/inbox';
import { AuditService } from '@kkd/audit';
import { StaffService } from '@kkd/staff';
import { Access } from '../http/access.decorator';
import { IdParam } from '../http/id-param.decorator';
import { AuthedRequest } from '../http/request-context';
import { heldMailRow, heldMailSummary, heldStatusOptions, HELD_STATUS_LABELS } from './held-mail.view-model';
import { pageNumber } from './page-number.util';

const PAGE_SIZE = 50;
const DONE: Record<string, string> = { discarded: '保留メールを破棄しました（「破棄済み」で確認できます）。' };
const text = (value: unknown) => (typeof value === 'string' ? value : '');
const actorOf = (req: AuthedRequest) => ({ id: req.user!.id, email: req.user!.email });

/**
 * Mail that opened no consult, for the secretariat: attach it to a member or discard it (after a
 * confirmation, with an optional reason). Handled mail stays listed under its state.
 */
@Controller('held')
export class HeldMailController {
  constructor(private readonly handling: HeldMailService, private readonly staff: StaffService, private readonly audit: AuditService) {}

  /** Senders' addresses and subjects are identity: each look at the list is audited. */
  @Get()
  @Access('manager')
  async list(@Query() query: Record<string, string | undefined>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const status = (HELD_STATUSES as readonly string[]).includes(query.status ?? '') ? (query.status as HeldStatus) : 'held';
    const page = pageNumber(query.page);
    await this.audit.record(null, { actor: req.user!, action: 'held_mail.list_viewed', target: { type: 'held_mail', label: `page ${page}` }, details: { status } });
    await this.render(req, res, 200, status, page, { done: DONE[query.done ?? ''] });
  }

  @Post(':id/attach')
  @Access('manager')
  async attach(@IdParam('id', 'held mail') id: number, @Body('clubId') clubId: unknown, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    try {
      const number = await this.handling.attach(id, text(clubId), actorOf(req));
      res.redirect(303, `/consults/${number}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await this.render(req, res, 400, 'held', 1, { error: err.message, failedId: id, clubId: text(clubId) });
    }
  }

  /** The confirmation: what will be discarded, and a field for why. */
  @Get(':id/discard')
  @Access('manager')
  async confirmDiscard(@IdParam('id', 'held mail') id: number, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    await this.renderDiscard(req, res, id, 200, {});
  }

  /** Only with the confirmation page's `confirm`: a one-click form (an old page) gets that page instead. */
  @Post(':id/discard')
  @Access('manager')
  async discard(@IdParam('id', 'held mail') id: number, @Body() body: Record<string, unknown>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const reason = text(body.reason);
    if (body.confirm !== 'yes') return this.renderDiscard(req, res, id, 200, { reason });
    try {
      await this.handling.discard(id, actorOf(req), reason);
      res.redirect(303, '/held?done=discarded');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await this.renderDiscard(req, res, id, 400, { reason, error: err.message });
    }
  }

  /** The raw source, always as a download (never rendered in the console's origin). */
  @Get(':id/raw')
  @Access('manager')
  async raw(@IdParam('id', 'held mail') id: number, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const raw = await this.handling.raw(id);
    await this.audit.record(null, { actor: req.user!, action: 'held_mail.raw_viewed', target: { type: 'held_mail', id } });
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Disposition', `attachment; filename="held-${id}.eml"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(raw);
  }

  private async render(req: AuthedRequest, res: Response, status: number, state: HeldStatus, page: number, form: { error?: string; done?: string; failedId?: number; clubId?: string }): Promise<void> {
    const [{ items, total }, staff] = await Promise.all([this.handling.list(state, page, PAGE_SIZE), state === 'held' ? [] : this.staff.list()]);
    const names = new Map(staff.map((s) => [s.id, s.name]));
    const link = (p: number) => `/held?${new URLSearchParams({ ...(state === 'held' ? {} : { status: state }), page: String(p) })}`;
    res.status(status).render('held', {
      title: '保留メール', user: req.user, csrfToken: req.csrfToken, total, page, error: form.error, done: form.done,
      state, stateLabel: HELD_STATUS_LABELS[state], pending: state === 'held', statuses: heldStatusOptions(state),
      items: items.map((m) => heldMailRow(m, names, m.id === form.failedId ? form.clubId ?? '' : '')),
      prev: page > 1 ? link(page - 1) : null, next: page * PAGE_SIZE < total ? link(page + 1) : null,
    });
  }

  /** A mail already handled has nothing to confirm: its state's list instead. */
  private async renderDiscard(req: AuthedRequest, res: Response, id: number, status: number, form: { reason?: string; error?: string }): Promise<void> {
    const held = await this.handling.get(id);
    if (held.status !== 'held') return res.redirect(303, `/held?status=${held.status}`);
    res.status(status).render('held-discard', {
      title: '保留メールの破棄', user: req.user, csrfToken: req.csrfToken, mail: heldMailSummary(held),
      reason: form.reason ?? '', error: form.error, maxLength: DISCARD_REASON_MAX_LENGTH,
    });
  }
}
