import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { ValidationError } from '@kkd/core';
import { HeldMailRepository, HeldMailService } from '@kkd/inbox';
import { AuditService } from '@kkd/audit';
import { Access } from '../http/access.decorator';
import { IdParam } from '../http/id-param.decorator';
import { AuthedRequest } from '../http/request-context';

const REASONS: Record<string, string> = {
  unknown_sender: '未登録の送信者', no_sender: '送信者不明', contract_not_started: '契約開始前', contract_suspended: '契約中断中',
  contract_cancelled: '解約済み', contract_expired: '契約期間満了',
  bounce: '不達通知（エラーメール）', auto_reply: '自動応答', bulk: '一斉配信・メーリングリスト',
};
const PAGE_SIZE = 50;

/** Mail that opened no consult, for the secretariat: attach it to a member or discard it. */
@Controller('held')
export class HeldMailController {
  constructor(private readonly held: HeldMailRepository, private readonly handling: HeldMailService, private readonly audit: AuditService) {}

  /** Senders' addresses and subjects are identity: each look at the list is audited. */
  @Get()
  @Access('manager')
  async list(@Query('page') pageParam: string | undefined, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const page = Math.max(1, Number.parseInt(pageParam ?? '1', 10) || 1);
    await this.audit.record(null, { actor: req.user!, action: 'held_mail.list_viewed', target: { type: 'held_mail', label: `page ${page}` } });
    await this.render(req, res, 200, page, {});
  }

  @Post(':id/attach')
  @Access('manager')
  async attach(@IdParam('id', 'held mail') id: number, @Body('clubId') clubId: unknown, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    try {
      const number = await this.handling.attach(id, typeof clubId === 'string' ? clubId : '', req.user!.id);
      res.redirect(303, `/consults/${number}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await this.render(req, res, 400, 1, { error: err.message, failedId: id, clubId });
    }
  }

  @Post(':id/discard')
  @Access('manager')
  async discard(@IdParam('id', 'held mail') id: number, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    try {
      await this.handling.discard(id, req.user!.id);
      res.redirect(303, '/held');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await this.render(req, res, 400, 1, { error: err.message, failedId: id });
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

  private async render(req: AuthedRequest, res: Response, status: number, page: number, form: { error?: string; failedId?: number; clubId?: unknown }): Promise<void> {
    const [items, total] = await this.held.list(page, PAGE_SIZE);
    res.status(status).render('held', {
      title: '保留メール', user: req.user, csrfToken: req.csrfToken, total, page, error: form.error,
      items: items.map((m) => ({
        id: m.id, fromAddress: m.fromAddress ?? '(なし)', subject: m.subject, reason: REASONS[m.reason] ?? m.reason, receivedAt: m.receivedAt,
        clubId: m.id === form.failedId && typeof form.clubId === 'string' ? form.clubId : '',
      })),
      prev: page > 1 ? `/held?page=${page - 1}` : null, next: page * PAGE_SIZE < total ? `/held?page=${page + 1}` : null,
    });
  }
}
