import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { ValidationError } from '@kkd/core';
import { LoginThrottledError, PASSWORD_MIN_LENGTH, StaffService, StaffUser, WeakPasswordError } from '@kkd/staff';
import { Access } from '../http/access.decorator';
import { CurrentUser } from '../http/current-user.decorator';
import { AuthedRequest, SESSION_COOKIE } from '../http/request-context';
import { AccountPasswordForm } from './account-password.dto';
import { FieldErrors, validateForm } from './form-validation.util';

const TITLE = 'パスワードの変更';

/**
 * A signed-in staff member changes their own password; their other sessions end. A person signed
 * in with a password the product generated is held here (AccessGuard) until they have chosen one.
 */
@Controller('account/password')
export class AccountPasswordController {
  constructor(private readonly staff: StaffService) {}

  @Get()
  @Access('expert')
  page(@Query('done') done: string | undefined, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): void {
    const ended = Number(done);
    res.render('account-password', {
      title: TITLE, user, csrfToken: req.csrfToken, minLength: PASSWORD_MIN_LENGTH, errors: null, required: user.mustChangePassword,
      done: done === undefined ? null : Number.isInteger(ended) && ended > 0 ? `パスワードを変更しました。ほかの端末のログイン（${ended}件）を終了しました。` : 'パスワードを変更しました。',
    });
  }

  @Post()
  @Access('expert')
  async change(@Body() body: Record<string, unknown>, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(AccountPasswordForm, body);
    if (errors) return this.renderErrors(res, req, user, 400, errors);
    try {
      const { sessionsEnded } = await this.staff.changePassword(user.id, value.currentPassword, value.newPassword, req.cookies?.[SESSION_COOKIE] as string, req.ip ?? 'unknown');
      res.redirect(303, `/account/password?done=${sessionsEnded}`);
    } catch (err) {
      if (err instanceof LoginThrottledError) return this.renderErrors(res, req, user, 429, { currentPassword: err.message });
      if (!(err instanceof ValidationError)) throw err;
      // The rules name the field 'password'; on this form it is the new one.
      return this.renderErrors(res, req, user, 400, { [err instanceof WeakPasswordError ? 'newPassword' : err.field]: err.message });
    }
  }

  /** Typed passwords are never written back into the form. */
  private renderErrors(res: Response, req: AuthedRequest, user: StaffUser, status: number, errors: FieldErrors): void {
    res.status(status).render('account-password', {
      title: TITLE, user, csrfToken: req.csrfToken, minLength: PASSWORD_MIN_LENGTH, errors, done: null, required: user.mustChangePassword,
    });
  }
}
