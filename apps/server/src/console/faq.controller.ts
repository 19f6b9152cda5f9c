import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { CATEGORIES, Category, ConsultsService } from '@kkd/consults';
import {
  FAQ_PUBLIC, FAQ_STATUSES, FaqAction, FaqPromotionService, FaqRefusedError, FaqRepository, FaqSearchService, FaqStatus, FaqWorkflowService,
} from '@kkd/knowledge-base';
import { SettingsService } from '@kkd/core';
import { MemberIdentityService } from '@kkd/membership';
import { StaffUser } from '@kkd/staff';
import { Access } from '../http/access.decorator';
import { CurrentUser } from '../http/current-user.decorator';
import { IdParam } from '../http/id-param.decorator';
import { AuthedRequest } from '../http/request-context';
import { FaqEntryForm, FaqRedraftForm, keepLines } from './faq.dto';
import { faqCategoryOptions, faqEntryPage, faqListItem, faqSearchItem, faqStatusTabs } from './faq.view-model';
import { FieldErrors, validateForm } from './form-validation.util';

const PAGE_SIZE = 50;

interface EntryForms {
  errors?: FieldErrors;
  form?: { title: string; question: string; answer: string; category: string; keep: string };
  refused?: string;
  done?: string;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const DONE: Record<string, string> = {
  saved: '保存しました。', submit: 'レビューを依頼しました。', return: '下書きに戻しました。', publish: '公開しました。', archive: 'アーカイブしました。',
  redraft: '元の相談から作り直しました。', created: 'FAQの下書きを作成しました（匿名化済み）。置き換えた箇所を確認してください。',
};

/** The FAQ for staff: list and search, the review page of an entry, and 「FAQ化」 from a consult. */
@Controller()
export class FaqConsoleController {
  constructor(
    private readonly promotion: FaqPromotionService,
    private readonly workflow: FaqWorkflowService,
    private readonly faqs: FaqRepository,
    private readonly search: FaqSearchService,
    private readonly consults: ConsultsService,
    private readonly settings: SettingsService,
    private readonly identity: MemberIdentityService,
  ) {}

  @Get('faq')
  @Access('expert')
  async list(@Query() query: Record<string, string | undefined>, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const status = FAQ_STATUSES.includes(query.status as FaqStatus) ? (query.status as FaqStatus) : undefined;
    const category = CATEGORIES.includes(query.category as Category) ? (query.category as Category) : undefined;
    const q = (query.q ?? '').slice(0, 200);
    const page = /^\d{1,5}$/.test(query.page ?? '') ? Math.max(1, Number(query.page)) : 1;
    const searching = q.trim() !== '' || category !== undefined;
    const [faqPublic, counts, listed, results] = await Promise.all([
      this.settings.get(FAQ_PUBLIC), this.faqs.countByStatus(),
      searching ? null : this.faqs.list({ status, page, pageSize: PAGE_SIZE }),
      searching ? this.search.search({ q, category, limit: 50 }) : null,
    ]);
    res.render('faq-list', {
      title: 'FAQ', user, csrfToken: req.csrfToken, q, searching, tabs: faqStatusTabs(status, counts), allCurrent: !status && !searching,
      categoryOptions: faqCategoryOptions(category),
      items: listed?.items.map(faqListItem) ?? [], total: listed?.total ?? 0, results: results?.map(faqSearchItem) ?? [],
      prev: listed && page > 1 ? page - 1 : null, next: listed && page * PAGE_SIZE < listed.total ? page + 1 : null, status,
      faqPublic, isAdmin: user.role === 'admin',
    });
  }

  /** Admins: members only (sign-in by mailed link), or open to anyone. Declared before faq/:id. */
  @Post('faq/settings')
  @Access('admin')
  async saveSettings(@Body() body: Record<string, unknown>, @CurrentUser() user: StaffUser, @Res() res: Response): Promise<void> {
    await this.settings.set(FAQ_PUBLIC, body?.public === 'on' ? 'true' : 'false', user.id);
    res.redirect(303, '/faq');
  }

  @Get('faq/:id')
  @Access('expert')
  async show(@IdParam('id', 'faq entry') id: number, @Query('done') done: string | undefined, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    await this.render(id, user, req, res, 200, { done: done ? DONE[done] : undefined });
  }

  @Post('faq/:id')
  @Access('expert')
  async save(@IdParam('id', 'faq entry') id: number, @Body() body: Record<string, unknown>, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(FaqEntryForm, body);
    const form = { title: text(body?.title), question: text(body?.question), answer: text(body?.answer), category: text(body?.category), keep: text(body?.keep) };
    if (errors) return this.render(id, user, req, res, 400, { errors, form });
    try {
      await this.workflow.edit(id, { title: value.title, question: value.question, answer: value.answer, category: value.category, keepTerms: keepLines(value.keep) }, user);
    } catch (err) {
      if (!(err instanceof FaqRefusedError)) throw err;
      return this.render(id, user, req, res, 409, { refused: err.message, form });
    }
    res.redirect(303, `/faq/${id}?done=saved`);
  }

  @Post('faq/:id/redraft')
  @Access('expert')
  async redraft(@IdParam('id', 'faq entry') id: number, @Body() body: Record<string, unknown>, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(FaqRedraftForm, body);
    if (errors) return this.render(id, user, req, res, 400, { errors });
    await this.step(id, user, req, res, 'redraft', () => this.promotion.redraft(id, keepLines(value.keep), user));
  }

  @Post('faq/:id/submit')
  @Access('expert')
  submit(@IdParam('id', 'faq entry') id: number, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    return this.step(id, user, req, res, 'submit', () => this.workflow.submit(id, user));
  }

  @Post('faq/:id/return')
  @Access('manager')
  returnToDraft(@IdParam('id', 'faq entry') id: number, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    return this.step(id, user, req, res, 'return', () => this.workflow.returnToDraft(id, user));
  }

  @Post('faq/:id/publish')
  @Access('manager')
  publish(@IdParam('id', 'faq entry') id: number, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    return this.step(id, user, req, res, 'publish', () => this.workflow.publish(id, user));
  }

  @Post('faq/:id/archive')
  @Access('manager')
  archive(@IdParam('id', 'faq entry') id: number, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    return this.step(id, user, req, res, 'archive', () => this.workflow.archive(id, user));
  }

  /** 「FAQ化」 on a resolved consult: drafts the entry and opens it; an existing draft opens instead. */
  @Post('consults/:number/faq')
  @Access('expert')
  async promote(@IdParam('number', 'consult') number: number, @CurrentUser() user: StaffUser, @Res() res: Response): Promise<void> {
    try {
      const entry = await this.promotion.promote(number, user);
      res.redirect(303, `/faq/${entry.id}?done=created`);
    } catch (err) {
      const existing = err instanceof FaqRefusedError ? (err.details.entryId as number | undefined) : undefined;
      if (existing === undefined) throw err;
      res.redirect(303, `/faq/${existing}`);
    }
  }

  private async step(id: number, user: StaffUser, req: AuthedRequest, res: Response, done: FaqAction | 'redraft', work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (err) {
      if (!(err instanceof FaqRefusedError)) throw err;
      return this.render(id, user, req, res, 409, { refused: err.message });
    }
    res.redirect(303, `/faq/${id}?done=${done}`);
  }

  private async render(id: number, user: StaffUser, req: AuthedRequest, res: Response, status: number, forms: EntryForms): Promise<void> {
    const entry = await this.workflow.get(id);
    const [versions, findings, sourceNumber] = await Promise.all([
      this.faqs.versionsOf(id), this.workflow.findings(entry), entry.sourceConsultId === null ? null : this.consults.numberOf(entry.sourceConsultId),
    ]);
    const page = faqEntryPage(entry, versions, findings, user, sourceNumber);
    // The replaced originals are member identity: a manager's view of them is audited.
    const source = page.replacements.length ? await this.workflow.sourceMember(entry) : null;
    if (source) await this.identity.recordViews([source], user, 'console.faq', { faq: entry.id });
    const form = forms.form ?? { title: entry.title, question: entry.question, answer: entry.answer, category: entry.category, keep: page.keepText };
    res.status(status).render('faq-entry', {
      title: `FAQ #${entry.id} ${entry.title}`, user, csrfToken: req.csrfToken, ...page, form,
      categoryOptions: faqCategoryOptions(form.category as Category), errors: forms.errors, refused: forms.refused, done: forms.done,
    });
  }
}
