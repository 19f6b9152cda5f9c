import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { ValidationError } from '@kkd/core';
import { LoginThrottledError, SessionService, StaffUser, TotpService } from '@kkd/staff';
import { Access } from '../http/access.decorator';
import { CurrentUser } from '../http/current-user.decorator';
import { AuthedRequest, SESSION_COOKIE } from '../http/request-context';

/** Only local paths may be followed after sign-in (no open redirect). */
const safeNext = (next: unknown) => (typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/consults');

/**
 * The second factor: the code step of a sign-in (/login/totp) and enrolment with a QR code
 * (/account/totp). The guard sends a session here until its second factor is settled.
 */
@Controller()
export class SecondFactorController {
  constructor(private readonly totp: TotpService, private readonly sessions: SessionService) {}

  @Get('login/totp')
  @Access('expert')
  codePage(@Query('next') next: string | undefined, @Req() req: AuthedRequest, @Res() res: Response): void {
    if (req.secondFactor !== 'awaiting') return res.redirect(303, safeNext(next));
    res.render('login-totp', { title: '二要素認証', csrfToken: req.csrfToken, next: safeNext(next) });
  }

  @Post('login/totp')
  @Access('expert')
  async code(@Body() body: Record<string, unknown>, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const next = safeNext(body?.next);
    const cookie = req.cookies?.[SESSION_COOKIE] as string;
    if (req.secondFactor !== 'awaiting') return res.redirect(303, next);
    const ip = req.ip ?? 'unknown';
    try {
      const outcome = await this.totp.verifySecondFactor(user, typeof body?.code === 'string' ? body.code : '', ip);
      if (outcome.ok) {
        await this.sessions.completeSecondFactor(cookie);
        return res.redirect(303, next);
      }
      res.status(401).render('login-totp', {
        title: '二要素認証', csrfToken: req.csrfToken, next, error: `確認コードが正しくありません（あと${outcome.attemptsLeft}回まで）。`,
      });
    } catch (err) {
      if (!(err instanceof LoginThrottledError)) throw err;
      // The account is locked: this attempt ends, and the password step refuses it too for a while.
      await this.sessions.end(cookie, ip);
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      res.status(429).render('login-totp', { title: '二要素認証', locked: true, error: err.message });
    }
  }

  @Get('account/totp')
  @Access('expert')
  async enrolPage(@CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    await this.renderAccount(user, req, res, 200, null);
  }

  @Post('account/totp')
  @Access('expert')
  async enrol(@Body() body: Record<string, unknown>, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    // 「新しいQRコードにする」: the person asks for a new secret (the pending one is kept otherwise).
    if (body?.renew === '1' && !user.totpEnabledAt) return this.renderAccount(user, req, res, 200, null, true);
    try {
      const recoveryCodes = await this.totp.confirmEnrolment(user, typeof body?.code === 'string' ? body.code.trim() : '');
      res.status(200).render('account-totp', { title: '二要素認証', user, csrfToken: req.csrfToken, recoveryCodes });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await this.renderAccount(user, req, res, 400, err.message);
    }
  }

  private async renderAccount(user: StaffUser, req: AuthedRequest, res: Response, status: number, error: string | null, renew = false): Promise<void> {
    const view = { title: '二要素認証', user, csrfToken: req.csrfToken, error, required: this.totp.required(user) };
    if (user.totpEnabledAt) {
      return res.status(status).render('account-totp', { ...view, enabled: true, enabledAt: user.totpEnabledAt, remaining: await this.totp.remainingRecoveryCodes(user) });
    }
    res.status(status).render('account-totp', { ...view, ...(await this.totp.startEnrolment(user, renew)) });
  }
}
