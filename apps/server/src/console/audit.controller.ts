import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { AuditService, auditActionLabel } from '@kkd/audit';
import { isCalendarDate } from '@kkd/membership';
import { Access } from '../http/access.decorator';
import { AuthedRequest } from '../http/request-context';
import { auditRow } from './members.view-model';
import { pageNumber } from './page-number.util';

const PAGE_SIZE = 50;
const FILTERS = ['action', 'actor', 'target', 'from', 'to'] as const;

/** The audit log for managers and admins: who changed or saw what, newest first. */
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Access('manager')
  async list(@Query() query: Record<string, string | undefined>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const f = Object.fromEntries(FILTERS.map((k) => [k, (query[k] ?? '').trim()])) as Record<(typeof FILTERS)[number], string>;
    const date = (value: string) => (isCalendarDate(value) ? value : undefined);
    const page = pageNumber(query.page);
    const [{ items, total }, actions] = await Promise.all([
      this.audit.list({ action: f.action || undefined, actorEmail: f.actor || undefined, target: f.target || undefined, from: date(f.from), to: date(f.to), page, pageSize: PAGE_SIZE }),
      this.audit.actions(),
    ]);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const link = (p: number) => `/audit?${new URLSearchParams({ ...Object.fromEntries(Object.entries(f).filter(([, v]) => v)), page: String(p) })}`;
    if (page > pages) return res.redirect(link(pages));
    res.render('audit', {
      title: '監査ログ', user: req.user, csrfToken: req.csrfToken, total, page, pages, filters: f,
      dateErrors: { from: f.from && !date(f.from) ? '開始日を YYYY-MM-DD で入力してください。' : null, to: f.to && !date(f.to) ? '終了日を YYYY-MM-DD で入力してください。' : null },
      actions: actions.map((a) => ({ value: a, label: auditActionLabel(a), selected: a === f.action })),
      items: items.map(auditRow), prev: page > 1 ? link(page - 1) : null, next: page < pages ? link(page + 1) : null,
    });
  }
}
