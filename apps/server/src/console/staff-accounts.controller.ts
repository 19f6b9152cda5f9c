import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { ValidationError } from '@kkd/core';
import { StaffAccountsService, StaffExistsError, TotpService } from '@kkd/staff';
import { Access } from '../http/access.decorator';
import { IdParam } from '../http/id-param.decorator';
import { AuthedRequest } from '../http/request-context';
import { FieldErrors, validateForm } from './form-validation.util';
import { NewStaffForm, StaffChangeForm, StaffRoleForm } from './staff-accounts.dto';
import { DONE_MESSAGES, roleOptions, staffAccountRow } from './staff-accounts.view-model';

/** The forms of an account's page; each shows its own errors and keeps its typed reason. */
type AccountForm = 'role' | 'active' | 'secondFactor';
interface AccountForms {
  form?: AccountForm;
  errors?: FieldErrors;
  values?: { role?: string; reason?: string };
  done?: string;
  password?: string;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * Staff accounts, for admins: every account (experts, managers, admins) with role, state, second
 * factor and last sign-in; creation with a one-time password; role changes, disabling and
 * resetting a lost second factor, each with a reason for the audit log.
 */
@Controller('staff')
export class StaffAccountsController {
  constructor(private readonly accounts: StaffAccountsService, private readonly totp: TotpService) {}

  @Get()
  @Access('admin')
  async list(@Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    await this.renderList(req, res, 200, {}, { email: '', name: '', role: 'expert' });
  }

  @Post()
  @Access('admin')
  async create(@Body() body: Record<string, unknown>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(NewStaffForm, body);
    const typed = { email: text(body?.email), name: text(body?.name), role: text(body?.role) };
    if (errors) return this.renderList(req, res, 400, errors, typed);
    try {
      const { user, password } = await this.accounts.create(value, req.user!);
      // Rendered here, not redirected to: the password must not land in a URL or be shown again
      // (every page is no-store: noStore middleware).
      await this.renderAccount(user.id, req, res, 200, { password });
    } catch (err) {
      if (err instanceof StaffExistsError) return this.renderList(req, res, 409, { email: 'このメールアドレスの担当者アカウントはすでにあります。' }, typed);
      if (!(err instanceof ValidationError)) throw err;
      return this.renderList(req, res, 400, { [err.field]: err.message }, typed);
    }
  }

  @Get(':id')
  @Access('admin')
  async show(@IdParam('id', 'staff user') id: number, @Query('done') done: string | undefined, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    await this.renderAccount(id, req, res, 200, { done: done && DONE_MESSAGES[done] ? DONE_MESSAGES[done] : undefined });
  }

  @Post(':id/role')
  @Access('admin')
  async changeRole(@IdParam('id', 'staff user') id: number, @Body() body: Record<string, unknown>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(StaffRoleForm, body);
    await this.apply(id, 'role', 'role', errors, { role: text(body?.role), reason: text(body?.reason) }, req, res,
      () => this.accounts.changeRole(id, value.role, req.user!, value.reason));
  }

  @Post(':id/disable')
  @Access('admin')
  async disable(@IdParam('id', 'staff user') id: number, @Body() body: Record<string, unknown>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(StaffChangeForm, body);
    await this.apply(id, 'active', 'disabled', errors, { reason: text(body?.reason) }, req, res,
      () => this.accounts.setActive(id, false, req.user!, value.reason));
  }

  @Post(':id/enable')
  @Access('admin')
  async enable(@IdParam('id', 'staff user') id: number, @Body() body: Record<string, unknown>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(StaffChangeForm, body);
    await this.apply(id, 'active', 'enabled', errors, { reason: text(body?.reason) }, req, res,
      () => this.accounts.setActive(id, true, req.user!, value.reason));
  }

  @Post(':id/second-factor/reset')
  @Access('admin')
  async resetSecondFactor(@IdParam('id', 'staff user') id: number, @Body() body: Record<string, unknown>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(StaffChangeForm, body);
    await this.apply(id, 'secondFactor', 'second_factor_reset', errors, { reason: text(body?.reason) }, req, res,
      () => this.accounts.resetSecondFactor(id, req.user!, value.reason));
  }

  /** Runs a change of one account: back to its page with a message, or the form again with why not. */
  private async apply(
    id: number, form: AccountForm, done: keyof typeof DONE_MESSAGES, errors: FieldErrors | null, values: AccountForms['values'],
    req: AuthedRequest, res: Response, change: () => Promise<unknown>,
  ): Promise<void> {
    if (errors) return this.renderAccount(id, req, res, 400, { form, errors, values });
    try {
      await change();
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return this.renderAccount(id, req, res, 400, { form, errors: { [err.field]: err.message }, values });
    }
    res.redirect(303, `/staff/${id}?done=${done}`);
  }

  private async renderList(req: AuthedRequest, res: Response, status: number, errors: FieldErrors, form: { email: string; name: string; role: string }): Promise<void> {
    const accounts = await this.accounts.overview();
    res.status(status).render('staff', {
      title: 'スタッフアカウント', user: req.user, csrfToken: req.csrfToken,
      accounts: accounts.map((a) => ({ ...staffAccountRow(a, this.totp.required(a.user)), self: a.user.id === req.user!.id })),
      activeCount: accounts.filter((a) => a.user.active).length,
      form, roleOptions: roleOptions(form.role), errors: Object.keys(errors).length ? errors : null,
    });
  }

  private async renderAccount(id: number, req: AuthedRequest, res: Response, status: number, forms: AccountForms): Promise<void> {
    const account = await this.accounts.find(id);
    const row = staffAccountRow(account, this.totp.required(account.user));
    const errorsOf = (form: AccountForm) => (forms.form === form ? forms.errors : undefined);
    const reasonOf = (form: AccountForm) => (forms.form === form ? forms.values?.reason ?? '' : '');
    res.status(status).render('staff-account', {
      title: `スタッフアカウント: ${row.name}`, user: req.user, csrfToken: req.csrfToken, account: row,
      self: id === req.user!.id, done: forms.done, password: forms.password,
      roleOptions: roleOptions(forms.form === 'role' && forms.values?.role ? forms.values.role : row.role),
      roleErrors: errorsOf('role'), roleReason: reasonOf('role'),
      activeErrors: errorsOf('active'), activeReason: reasonOf('active'),
      factorErrors: errorsOf('secondFactor'), factorReason: reasonOf('secondFactor'),
    });
  }
}
