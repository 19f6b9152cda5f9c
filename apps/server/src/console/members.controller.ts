import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { ContractService, isCalendarDate, MEMBER_STATUSES, MemberIdentityService, MemberRepository, MemberStatus } from '@kkd/membership';
import { jstDateOf } from '@kkd/calendar';
import { Clock, ValidationError } from '@kkd/core';
import { StaffService, StaffUser } from '@kkd/staff';
import { Access } from '../http/access.decorator';
import { CurrentUser } from '../http/current-user.decorator';
import { IdParam } from '../http/id-param.decorator';
import { AuthedRequest } from '../http/request-context';
import { FieldErrors, validateForm } from './form-validation.util';
import { CancelNoticeForm, ContractChangeForm, MemberEditForm } from './members.dto';
import { MemberFormValues, memberFormValues, memberPage, memberRow, statusFilterOptions, typedFormValues } from './members.view-model';
import { pageNumber } from './page-number.util';

const PAGE_SIZE = 50;
const DONE: Record<string, string> = {
  saved: '会員情報を保存しました。', suspended: '契約を中断しました。', resumed: '契約を再開しました。', cancelled: '契約を解約しました。',
  noticed: '解約の申出を受け付けました。', moved: '解約の申出を受け付けました。希望日が申出日から30日より前のため、効力発生日を30日後にしました（規約第14条）。',
};
/** The service's field names, as the forms name them. */
const FORM_FIELDS: Record<string, string> = { contractStart: 'contract_start', contractEnd: 'contract_end', noticeOn: 'notice_on' };

type ActionForm = 'suspend' | 'resume' | 'cancel' | 'notice';
interface PageForms { action?: ActionForm; errors?: FieldErrors; values?: Record<string, string>; done?: string }

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const actorOf = (user: StaffUser) => ({ id: user.id, email: user.email });
/** Real calendar dates only (2026-02-30 is refused), each named by its form field. */
function dateErrors(values: Record<string, string | undefined>, labels: Record<string, string>): FieldErrors | null {
  const errors: FieldErrors = {};
  for (const [field, value] of Object.entries(values)) if (value && !isCalendarDate(value)) errors[field] = `${labels[field]}は存在する日付を入力してください。`;
  return Object.keys(errors).length ? errors : null;
}

/**
 * Members and contracts (the secretariat's pages): managers read, admins edit. The list shows no
 * identity; the member page and the edit form do, and each view of them is audited.
 */
@Controller('members')
export class MembersController {
  constructor(
    private readonly members: MemberRepository,
    private readonly identity: MemberIdentityService,
    private readonly contracts: ContractService,
    private readonly staff: StaffService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Access('manager')
  async list(@Query() query: Record<string, string | undefined>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const status = (MEMBER_STATUSES as readonly string[]).includes(query.status ?? '') ? (query.status as MemberStatus) : undefined;
    const page = pageNumber(query.page);
    const { items, total } = await this.members.list({ status, q: query.q, page, pageSize: PAGE_SIZE });
    const today = jstDateOf(this.clock.now());
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const link = (p: number) => `/members?${new URLSearchParams({ ...(status ? { status } : {}), ...(query.q ? { q: query.q } : {}), page: String(p) })}`;
    if (page > pages) return res.redirect(link(pages));
    res.render('members', {
      title: '会員', user: req.user, csrfToken: req.csrfToken, total, page, pages, q: query.q ?? '', statuses: statusFilterOptions(status),
      items: items.map((m) => memberRow(m, null, today)), prev: page > 1 ? link(page - 1) : null, next: page < pages ? link(page + 1) : null,
    });
  }

  @Get(':id')
  @Access('manager')
  async show(@IdParam('id', 'member') id: number, @Query('done') done: string | undefined, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    await this.renderMember(id, req, res, 200, { done: DONE[done ?? ''] });
  }

  @Get(':id/edit')
  @Access('admin')
  async edit(@IdParam('id', 'member') id: number, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const member = await this.identity.open(id, actorOf(user), 'console.member_edit');
    this.renderEdit(req, res, 200, id, member.clubId, memberFormValues(member), null);
  }

  @Post(':id')
  @Access('admin')
  async save(@IdParam('id', 'member') id: number, @Body() body: Record<string, unknown>, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const typed = typedFormValues(body ?? {});
    const { value, errors } = validateForm(MemberEditForm, body);
    const problems = errors ?? dateErrors({ contract_start: value.contract_start, contract_end: value.contract_end }, { contract_start: '契約開始日', contract_end: '契約終了日' });
    const clubId = async () => (await this.members.findById(id))?.clubId ?? '';
    if (problems) return this.renderEdit(req, res, 400, id, await clubId(), typed, problems);
    try {
      await this.contracts.updateDetails(id, {
        nickname: value.nickname, company: value.company, department: value.department ?? null, contactName: value.contact_name ?? null,
        phone: value.phone ?? null, postalCode: value.postal_code ?? null, address: value.address ?? null, emails: [...new Set(value.emails)],
        contractStart: value.contract_start, contractEnd: value.contract_end ?? null,
      }, actorOf(user));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return this.renderEdit(req, res, 400, id, await clubId(), typed, { [FORM_FIELDS[err.field] ?? err.field]: err.message });
    }
    res.redirect(303, `/members/${id}?done=saved`);
  }

  @Post(':id/suspend')
  @Access('admin')
  suspend(@IdParam('id', 'member') id: number, @Body() body: Record<string, unknown>, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    return this.change(id, 'suspend', body, req, res, (reason) => this.contracts.suspend(id, reason, actorOf(user)).then(() => 'suspended'));
  }

  @Post(':id/resume')
  @Access('admin')
  resume(@IdParam('id', 'member') id: number, @Body() body: Record<string, unknown>, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    return this.change(id, 'resume', body, req, res, (reason) => this.contracts.resume(id, reason, actorOf(user)).then(() => 'resumed'));
  }

  /** Art. 15: the secretariat cancels at once. */
  @Post(':id/cancel')
  @Access('admin')
  cancel(@IdParam('id', 'member') id: number, @Body() body: Record<string, unknown>, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    return this.change(id, 'cancel', body, req, res, (reason) => this.contracts.cancelNow(id, reason, actorOf(user)).then(() => 'cancelled'));
  }

  /** Art. 14: a member's notice; effective no earlier than 30 days after it. */
  @Post(':id/cancel-notice')
  @Access('admin')
  async notice(@IdParam('id', 'member') id: number, @Body() body: Record<string, unknown>, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const values = { notice_on: text(body?.notice_on), requested_on: text(body?.requested_on), reason: text(body?.reason) };
    const { value, errors } = validateForm(CancelNoticeForm, body);
    const problems = errors ?? dateErrors({ notice_on: value.notice_on, requested_on: value.requested_on }, { notice_on: '申出日', requested_on: '希望日' });
    if (problems) return this.renderMember(id, req, res, 400, { action: 'notice', errors: problems, values });
    try {
      const result = await this.contracts.noticeCancellation(id, { noticeOn: value.notice_on, requestedOn: value.requested_on ?? null, reason: value.reason }, actorOf(user));
      res.redirect(303, `/members/${id}?done=${result.movedLater ? 'moved' : 'noticed'}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return this.renderMember(id, req, res, 400, { action: 'notice', errors: { [FORM_FIELDS[err.field] ?? err.field]: err.message }, values });
    }
  }

  private async change(id: number, action: ActionForm, body: Record<string, unknown>, req: AuthedRequest, res: Response, apply: (reason: string) => Promise<string>): Promise<void> {
    const values = { reason: text(body?.reason) };
    const { value, errors } = validateForm(ContractChangeForm, body);
    if (errors) return this.renderMember(id, req, res, 400, { action, errors, values });
    try {
      res.redirect(303, `/members/${id}?done=${await apply(value.reason)}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // A state that does not allow the change ('action') is shown above the forms: that form may be gone.
      return this.renderMember(id, req, res, 400, { action, errors: { [err.field === 'action' ? 'action' : 'reason']: err.message }, values });
    }
  }

  private async renderMember(id: number, req: AuthedRequest, res: Response, status: number, forms: PageForms): Promise<void> {
    const user = req.user!;
    const member = await this.identity.open(id, actorOf(user), 'console.member');
    const [history, pending, staff] = await Promise.all([this.contracts.history(id), this.contracts.pendingCancellation(id), this.staff.list()]);
    const page = memberPage(member, history, pending, new Map(staff.map((s) => [s.id, s.name])), jstDateOf(this.clock.now()));
    const formFor = (name: ActionForm) => (forms.action === name ? { errors: forms.errors, values: forms.values } : { errors: {}, values: {} });
    res.status(status).render('member', {
      title: `会員: ${page.member.displayName}`, user, csrfToken: req.csrfToken, canEdit: user.role === 'admin', done: forms.done, actionError: forms.errors?.action, ...page,
      suspendForm: formFor('suspend'), resumeForm: formFor('resume'), cancelForm: formFor('cancel'), noticeForm: formFor('notice'),
    });
  }

  private renderEdit(req: AuthedRequest, res: Response, status: number, id: number, clubId: string, form: MemberFormValues, errors: FieldErrors | null): void {
    res.status(status).render('member-edit', { title: `会員の編集: ${clubId}`, user: req.user, csrfToken: req.csrfToken, id, clubId, form, errors: errors ?? {} });
  }
}
