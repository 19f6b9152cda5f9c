import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { HeldMailRepository } from '@kkd/inbox';
import { Access } from '../http/access.decorator';
import { AuthedRequest } from '../http/request-context';

const REASONS: Record<string, string> = {
  unknown_sender: '未登録の送信者', no_sender: '送信者不明', contract_suspended: '契約中断中',
  contract_cancelled: '解約済み', contract_expired: '契約期間満了',
  bounce: '不達通知（エラーメール）', auto_reply: '自動応答', bulk: '一斉配信・メーリングリスト',
};
const PAGE_SIZE = 50;

/** Mail that opened no consult (unknown senders, inactive contracts), for the secretariat. */
@Controller('held')
export class HeldMailController {
  constructor(private readonly held: HeldMailRepository) {}

  @Get()
  @Access('manager')
  async list(@Query('page') pageParam: string | undefined, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const page = Math.max(1, Number.parseInt(pageParam ?? '1', 10) || 1);
    const [items, total] = await this.held.list(page, PAGE_SIZE);
    res.render('held', {
      title: '保留メール', user: req.user, csrfToken: req.csrfToken, total, page,
      items: items.map((m) => ({ id: m.id, fromAddress: m.fromAddress ?? '(なし)', subject: m.subject, reason: REASONS[m.reason] ?? m.reason, receivedAt: m.receivedAt })),
      prev: page > 1 ? `/held?page=${page - 1}` : null, next: page * PAGE_SIZE < total ? `/held?page=${page + 1}` : null,
    });
  }
}
