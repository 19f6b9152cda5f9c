import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { AppConfig } from '@kkd/core';
import { InvalidCredentialsError, LoginThrottledError, SessionService, StaffService } from '@kkd/staff';
import { newLoginCsrf } from './login-csrf.util';
import { Access } from '../http/access.decorator';
import { AuthedRequest, LOGIN_CSRF_COOKIE, SESSION_COOKIE } from '../http/request-context';
import { LoginForm } from './console.dto';
import { validateForm } from './form-validation.util';

/** Only local paths may be followed after login (no open redirect). */
const safeNext = (next: unknown) => (typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/consults');

@Controller()
export class AuthController {
  constructor(
    private readonly staff: StaffService,
    private readonly sessions: SessionService,
    private readonly config: AppConfig,
  ) {}

  @Get('login')
  @Access('public')
  loginPage(@Query('next') next: string | undefined, @Req() req: AuthedRequest, @Res() res: Response): void {
    if (req.user) return res.redirect(303, safeNext(next));
    this.renderLogin(res, 200, { next: safeNext(next) });
  }

  @Post('login')
  @Access('public')
  async login(@Body() body: unknown, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(LoginForm, body);
    const sentCsrf = (body as Record<string, unknown> | undefined)?._csrf;
    if (typeof sentCsrf !== 'string' || !sentCsrf || sentCsrf !== req.cookies?.[LOGIN_CSRF_COOKIE]) {
      return this.renderLogin(res, 403, { next: safeNext(value.next), email: value.email, error: 'フォームの有効期限が切れました。もう一度お試しください。' });
    }
    if (errors) return this.renderLogin(res, 400, { next: safeNext(value.next), email: value.email, errors });
    try {
      const user = await this.staff.verifyPassword(value.email, value.password, req.ip ?? 'unknown');
      // An account with a second factor opens the console only after its code (/login/totp).
      const awaitingCode = !!user.totpEnabledAt;
      const secret = await this.sessions.start(user, awaitingCode);
      res.cookie(SESSION_COOKIE, secret, {
        httpOnly: true, sameSite: 'lax', secure: this.config.COOKIE_SECURE, path: '/', maxAge: this.config.SESSION_TTL_HOURS * 3600_000,
      });
      res.clearCookie(LOGIN_CSRF_COOKIE, { path: '/login' });
      res.redirect(303, awaitingCode ? `/login/totp?next=${encodeURIComponent(safeNext(value.next))}` : safeNext(value.next));
    } catch (err) {
      if (!(err instanceof InvalidCredentialsError || err instanceof LoginThrottledError)) throw err;
      this.renderLogin(res, err instanceof LoginThrottledError ? 429 : 401, { next: safeNext(value.next), email: value.email, error: err.message });
    }
  }

  @Post('logout')
  @Access('expert')
  async logout(@Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    await this.sessions.end(req.cookies?.[SESSION_COOKIE], req.ip ?? 'unknown');
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/login');
  }

  @Get()
  @Access('expert')
  home(@Res() res: Response): void {
    res.redirect(303, '/consults');
  }

  private renderLogin(res: Response, status: number, view: Record<string, unknown>): void {
    const csrf = newLoginCsrf();
    res.cookie(LOGIN_CSRF_COOKIE, csrf, { httpOnly: true, sameSite: 'strict', secure: this.config.COOKIE_SECURE, path: '/login' });
    res.status(status).render('login', { title: 'ログイン', csrfToken: csrf, ...view });
  }
}
