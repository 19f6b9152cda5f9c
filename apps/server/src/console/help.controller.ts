import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { CATEGORIES, CATEGORY_LABELS, Category } from '@kkd/consults';
import { AppConfig, SettingsService } from '@kkd/core';
import { FAQ_PUBLIC, FaqSearchService, MemberSignInService, MemberViewer } from '@kkd/knowledge-base';
import { safeEqual } from '@kkd/staff';
import { Access } from '../http/access.decorator';
import { IdParam } from '../http/id-param.decorator';
import { AuthedRequest } from '../http/request-context';
import { HelpLoginForm } from './help.dto';
import { faqSearchItem } from './faq.view-model';
import { validateForm } from './form-validation.util';
import { newLoginCsrf } from './login-csrf.util';

export const MEMBER_COOKIE = 'kkd_member';
const HELP_CSRF_COOKIE = 'kkd_help_csrf';
const LAYOUT = '../layouts/member';
const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * The FAQ as members read it (/help): categories, search and entries, only published versions;
 * sign-in by a one-time link mailed to a registered address, and the member's own consults.
 * Staff cookies play no part here: every page finds the member from the member cookie.
 */
@Controller('help')
export class HelpController {
  constructor(
    private readonly search: FaqSearchService,
    private readonly signIn: MemberSignInService,
    private readonly settings: SettingsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Access('public')
  async index(@Query() query: Record<string, string | undefined>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const viewer = await this.reader(req, res);
    if (viewer === undefined) return;
    const category = CATEGORIES.includes(query.category as Category) ? (query.category as Category) : undefined;
    const q = text(query.q).slice(0, 200);
    const results = await this.search.search({ q, category, limit: 30 });
    this.render(res, 200, 'help-index', viewer, req, {
      title: q ? `「${q}」の検索結果` : category ? CATEGORY_LABELS[category] : 'よくある質問', q, category,
      categories: CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c], current: c === category })),
      searching: q.trim() !== '' || category !== undefined, results: results.map(faqSearchItem),
    });
  }

  @Get('entries/:id')
  @Access('public')
  async entry(@IdParam('id', 'faq entry') id: number, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const viewer = await this.reader(req, res);
    if (viewer === undefined) return;
    const v = await this.search.publishedEntry(id);
    this.render(res, 200, 'help-entry', viewer, req, {
      title: v.title, entry: { title: v.title, category: v.category, question: paragraphs(v.question), answer: paragraphs(v.answer), publishedAt: v.publishedAt, version: v.version },
    });
  }

  @Get('consults')
  @Access('public')
  async consults(@Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const viewer = await this.signIn.viewer(req.cookies?.[MEMBER_COOKIE]);
    if (!viewer) return res.redirect(303, '/help/login');
    this.render(res, 200, 'help-consults', viewer, req, { title: 'ご自身の相談', consults: await this.signIn.ownConsults(viewer.memberId) });
  }

  @Get('login')
  @Access('public')
  loginPage(@Req() req: AuthedRequest, @Res() res: Response): void {
    this.renderLogin(req, res, 200, {});
  }

  @Post('login')
  @Access('public')
  async requestLink(@Body() body: Record<string, unknown>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    if (!this.formCsrfOk(req, body)) return this.renderLogin(req, res, 403, { email: text(body?.email), error: 'フォームの有効期限が切れました。もう一度お試しください。' });
    const { value, errors } = validateForm(HelpLoginForm, { email: body?.email });
    if (errors) return this.renderLogin(req, res, 400, { email: text(body?.email), errors });
    await this.signIn.requestLink(value.email);
    this.renderLogin(req, res, 200, { sent: true });
  }

  /** The link opens a page with a button: mail scanners that fetch links do not use them up. */
  @Get('login/:token')
  @Access('public')
  confirmPage(@Param('token') token: string, @Req() req: AuthedRequest, @Res() res: Response): void {
    this.renderLogin(req, res, 200, { token: /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : null, invalid: !/^[A-Za-z0-9_-]{20,100}$/.test(token) });
  }

  @Post('login/:token')
  @Access('public')
  async redeem(@Param('token') token: string, @Body() body: Record<string, unknown>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    if (!this.formCsrfOk(req, body)) return this.renderLogin(req, res, 403, { token, error: 'フォームの有効期限が切れました。もう一度お試しください。' });
    const session = await this.signIn.redeem(token);
    if (!session) return this.renderLogin(req, res, 400, { invalid: true });
    res.clearCookie(HELP_CSRF_COOKIE, { path: '/help/login' });
    res.cookie(MEMBER_COOKIE, session, { httpOnly: true, sameSite: 'lax', secure: this.config.COOKIE_SECURE, path: '/help', maxAge: 12 * 3600_000 });
    res.redirect(303, '/help');
  }

  @Post('logout')
  @Access('public')
  async logout(@Body() body: Record<string, unknown>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const viewer = await this.signIn.viewer(req.cookies?.[MEMBER_COOKIE]);
    if (viewer && safeEqual(text(body?._mcsrf), viewer.csrfToken)) await this.signIn.end(req.cookies?.[MEMBER_COOKIE]);
    res.clearCookie(MEMBER_COOKIE, { path: '/help' });
    res.redirect(303, '/help/login');
  }

  /** The signed-in member, null when the FAQ is public and nobody is signed in; undefined: redirected. */
  private async reader(req: AuthedRequest, res: Response): Promise<MemberViewer | null | undefined> {
    const viewer = await this.signIn.viewer(req.cookies?.[MEMBER_COOKIE]);
    if (viewer || (await this.settings.get(FAQ_PUBLIC))) return viewer;
    res.redirect(303, '/help/login');
    return undefined;
  }

  private formCsrfOk(req: AuthedRequest, body: Record<string, unknown>): boolean {
    const sent = text(body?._mcsrf);
    const cookie = text(req.cookies?.[HELP_CSRF_COOKIE]);
    return sent !== '' && cookie !== '' && safeEqual(sent, cookie);
  }

  private renderLogin(req: AuthedRequest, res: Response, status: number, view: Record<string, unknown>): void {
    const csrf = newLoginCsrf();
    res.cookie(HELP_CSRF_COOKIE, csrf, { httpOnly: true, sameSite: 'strict', secure: this.config.COOKIE_SECURE, path: '/help/login' });
    this.render(res, status, 'help-login', null, req, { title: 'FAQ へのログイン', formCsrf: csrf, ...view });
  }

  private render(res: Response, status: number, page: string, viewer: MemberViewer | null, req: AuthedRequest, view: Record<string, unknown>): void {
    // A staff member signed in to the console posts these forms too: their CSRF token goes along.
    res.status(status).render(page, { layout: LAYOUT, member: viewer, memberCsrf: viewer?.csrfToken, staffCsrf: req.csrfToken, ...view });
  }
}

/** Paragraphs of plain text, escaped by the template. */
const paragraphs = (value: string) => value.split(/\n{2,}/).map((p) => p.split('\n'));
