import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { BusinessCalendar } from '@kkd/calendar';
import { AlreadyAssignedError, AssignmentService } from '@kkd/assignment';
import { AuditService } from '@kkd/audit';
import { ConsultMergeService, ConsultsService, MergeRefusedError, ReplyConflictError } from '@kkd/consults';
import { Clock, ValidationError } from '@kkd/core';
import { MailStore } from '@kkd/inbox';
import { FaqSearchService } from '@kkd/knowledge-base';
import { IdentityMaskService, MemberIdentityService, memberDisplayName } from '@kkd/membership';
import { remainingLabel, slaBadge } from '@kkd/sla';
import { AbsenceService, seesIdentity, StaffService, StaffUser } from '@kkd/staff';
import { SimilarConsultsService } from '@kkd/triage';
import { UsageService } from '@kkd/usage';
import { Access } from '../http/access.decorator';
import { CurrentUser } from '../http/current-user.decorator';
import { IdParam } from '../http/id-param.decorator';
import { AuthedRequest } from '../http/request-context';
import { ClassificationForm, MergeForm, NoteForm, ReassignForm, ReplyForm, StatusForm } from './console.dto';
import { filterOptions, orderOptions, queueHighlight, queueLink, queueQuery, viewFilter, VIEW_LABELS } from './queue.view-model';
import { validateForm } from './form-validation.util';
import { keptDraft } from './reply-compose.view-model';
import { ReplyComposeService } from './reply-compose.service';
import { consultUsageItem } from './usage.view-model';
import {
  categoryOptions, ConsultForms, historyItem, outboundItem, priorityOptions, queueItem, rawForViewer, statusOptions, threadItem, timelineItem, triageMatchItems,
} from './consult.view-model';

const PAGE_SIZE = 50;

@Controller('consults')
export class ConsultConsoleController {
  constructor(
    private readonly consults: ConsultsService,
    private readonly store: MailStore,
    private readonly clock: Clock,
    private readonly calendar: BusinessCalendar,
    private readonly staff: StaffService,
    private readonly absences: AbsenceService,
    private readonly assignment: AssignmentService,
    private readonly merger: ConsultMergeService,
    private readonly similar: SimilarConsultsService,
    private readonly usage: UsageService,
    private readonly faq: FaqSearchService,
    private readonly audit: AuditService,
    private readonly composer: ReplyComposeService,
    private readonly masks: IdentityMaskService,
    private readonly identity: MemberIdentityService,
  ) {}

  @Get()
  @Access('expert')
  async queue(@Query() query: Record<string, string | undefined>, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const q = queueQuery(query);
    const { items, total, highlights } = await this.consults.list({ ...q.filters, ...viewFilter(q.view, user), order: q.order, page: q.page, pageSize: PAGE_SIZE }, { seesIdentity: seesIdentity(user) });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    // A page past the end (an old link, a hand-typed number) shows the last page instead.
    if (q.page > pages) return res.redirect(queueLink(q, pages));
    const usage = await this.usage.ofConsults(items);
    const now = this.clock.now();
    const staff = (await this.staff.list()).filter((u) => u.active);
    // Experts read subjects with the member's identity masked (PRODUCT.md, privacy).
    const masks = seesIdentity(user) ? null : await this.masks.maskersFor(items.map((c) => c.memberId));
    res.render('queue', {
      title: `相談一覧（${VIEW_LABELS[q.view]}）`, user, csrfToken: req.csrfToken, total, page: q.page, pages, queueView: q.view,
      viewLabel: VIEW_LABELS[q.view], view: q.view, order: q.order, orderOptions: orderOptions(q), filters: filterOptions(q.filters, staff),
      items: items.map((c) => ({ ...queueItem(c, this.consults.slaStateOf(c, now), this.remaining(c.dueAt, now), usage.get(c.id), masks?.get(c.memberId)), ...queueHighlight(highlights?.get(c.id)) })),
      prev: q.page > 1 ? queueLink(q, q.page - 1) : null, next: q.page < pages ? queueLink(q, q.page + 1) : null,
    });
  }

  @Get(':number')
  @Access('expert')
  async show(@IdParam('number', 'consult') number: number, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    await this.renderConsult(number, user, req, res, 200, {});
  }

  @Post(':number/reply')
  @Access('expert')
  async reply(@IdParam('number', 'consult') number: number, @Body() body: unknown, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    // 「定型文を挿入」 and 「プレビュー」 show the page again with the draft; nothing is sent.
    const step = await this.composer.beforeSend(number, body, user);
    if (step) return this.renderConsult(number, user, req, res, step.status, step.form);
    const { value, errors } = validateForm(ReplyForm, body);
    if (errors) return this.renderConsult(number, user, req, res, 400, { ...keptDraft(body), replyErrors: errors, replyBody: value.body });
    // Files over the limit or of a refused type: the page again with the text as typed; nothing is sent.
    const files = this.composer.attachments(req);
    if (!files.ok) return this.renderConsult(number, user, req, res, 400, { ...keptDraft(body), replyErrors: { files: files.message }, replyBody: value.body });
    const guard = value.seenMessageId !== undefined ? { seenMessageId: value.seenMessageId, confirmed: value.confirmDouble === '1' } : undefined;
    try {
      await this.consults.reply(number, user, value.body, value.status ?? 'waiting_member', guard, files.files);
    } catch (err) {
      // Someone answered meanwhile: show their reply and keep this draft, sent only when confirmed.
      if (!(err instanceof ReplyConflictError)) throw err;
      return this.renderConsult(number, user, req, res, 409, { ...keptDraft(body), replyBody: value.body, replyConflict: true });
    }
    await this.composer.afterSend(body);
    res.redirect(303, `/consults/${number}#latest`);
  }

  @Post(':number/notes')
  @Access('expert')
  async note(@IdParam('number', 'consult') number: number, @Body() body: unknown, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(NoteForm, body);
    if (errors) return this.renderConsult(number, user, req, res, 400, { noteErrors: errors, noteBody: value.body });
    await this.consults.addNote(number, user, value.body);
    res.redirect(303, `/consults/${number}#latest`);
  }

  @Post(':number/status')
  @Access('expert')
  async status(@IdParam('number', 'consult') number: number, @Body() body: unknown, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(StatusForm, body);
    if (errors) return this.renderConsult(number, user, req, res, 400, { statusErrors: errors });
    await this.consults.update(number, { status: value.status }, user);
    res.redirect(303, `/consults/${number}`);
  }

  /** An expert's override of triage's category and priority. */
  @Post(':number/classification')
  @Access('expert')
  async classify(@IdParam('number', 'consult') number: number, @Body() body: unknown, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(ClassificationForm, body);
    if (errors) return this.renderConsult(number, user, req, res, 400, { classifyErrors: errors });
    await this.consults.update(number, { category: value.category, priority: value.priority }, user);
    res.redirect(303, `/consults/${number}#timeline`);
  }

  /** 「担当する」 */
  @Post(':number/claim')
  @Access('expert')
  async claim(@IdParam('number', 'consult') number: number, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    try {
      await this.assignment.claim(number, user);
    } catch (err) {
      if (!(err instanceof AlreadyAssignedError)) throw err;
      return this.renderConsult(number, user, req, res, 409, { assignErrors: { assignee: err.message } });
    }
    res.redirect(303, `/consults/${number}#timeline`);
  }

  /** A manager's reassignment: to a named staff member, to nobody, or by the rule again. */
  @Post(':number/assignee')
  @Access('manager')
  async reassign(@IdParam('number', 'consult') number: number, @Body() body: unknown, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(ReassignForm, body);
    // A refused form comes back with the manager's choice and reason as they were.
    const again = (assignErrors: Record<string, string>) => this.renderConsult(number, user, req, res, 400, { assignErrors, assignReason: value.reason, assignChoice: value.assignee });
    if (errors) return again(errors);
    try {
      if (value.assignee === 'rule') await this.assignment.reassignByRule(number, value.reason, user);
      else await this.assignment.reassign(number, value.assignee === 'none' ? null : value.assignee, value.reason, user);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return again({ [err.field]: err.message });
    }
    res.redirect(303, `/consults/${number}#timeline`);
  }

  /** Merges this consult (a duplicate) into another consult of the same member. */
  @Post(':number/merge')
  @Access('expert')
  async merge(@IdParam('number', 'consult') number: number, @Body() body: unknown, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(MergeForm, body);
    if (errors) return this.renderConsult(number, user, req, res, 400, { mergeErrors: errors });
    try {
      await this.merger.merge(number, value.target, value.reason, user);
    } catch (err) {
      if (!(err instanceof MergeRefusedError)) throw err;
      return this.renderConsult(number, user, req, res, 400, { mergeErrors: { target: err.message } });
    }
    res.redirect(303, `/consults/${value.target}#timeline`);
  }

  private async renderConsult(number: number, user: StaffUser, req: AuthedRequest, res: Response, status: number, form: ConsultForms): Promise<void> {
    const { consult, thread, outbound, outboundFiles } = await this.consults.detail(number);
    // Managers and admins read the member's signature and addresses here: each page shown is audited.
    if (seesIdentity(user)) await this.identity.recordViews([consult.member], user, 'console.consult', { consult: number });
    // Experts read the member's texts with the member's identity masked (PRODUCT.md, privacy).
    const mask = seesIdentity(user) ? null : await this.masks.maskerFor(consult.memberId);
    const shown = (text: string) => (mask ? mask(text) : text);
    const messages = await Promise.all(thread.map(async (m) => {
      const raw = m.parseError && m.rawPath && !m.rawDeletedAt ? rawForViewer((await this.store.read(m.rawPath)).toString('utf8'), user, mask) : null;
      // Managers see a raw source with its From and other identity headers: audited.
      if (raw !== null && seesIdentity(user)) {
        await this.audit.record(null, { actor: user, action: 'consult.raw_viewed', target: { type: 'consult', id: consult.number, label: `KKD#${consult.number}` }, details: { message: m.id } });
      }
      return threadItem(m, raw, mask);
    }));
    const now = this.clock.now();
    const slaState = this.consults.slaStateOf(consult, now);
    // The due time shown is that of the member message still waiting for us, else the first one.
    const waiting = consult.dueAt && thread.find((m) => m.direction === 'inbound' && m.dueAt?.getTime() === consult.dueAt!.getTime());
    const usage = consultUsageItem(await this.usage.ofConsult(consult));
    const opening = thread.find((m) => m.direction === 'inbound');
    const [timeline, similar, duplicates, absent, mergedInto, staff, faq, history] = await Promise.all([
      this.consults.timeline(consult.id), this.similar.similarPast(consult), consult.mergedIntoId ? [] : this.similar.possibleDuplicates(consult),
      this.absences.absentAt(now), consult.mergedIntoId ? this.consults.numberOf(consult.mergedIntoId) : null,
      user.role === 'expert' ? [] : this.staff.list(),
      // Published FAQ entries that read like this consult: the same search members use.
      this.faq.similarEntries(`${consult.subject}\n${opening?.text ?? ''}`, 3),
      // The member's earlier consults: shown under the member's nickname + club ID only.
      this.consults.memberHistory(consult),
    ]);
    res.status(status).render('consult', {
      title: `KKD#${consult.number} ${shown(consult.subject)}`, user, csrfToken: req.csrfToken,
      consult: {
        number: consult.number, subject: shown(consult.subject), status: consult.status, category: consult.category, priority: consult.priority,
        categoryByStaff: consult.categorySource === 'staff', priorityByStaff: consult.prioritySource === 'staff',
        triageMatches: triageMatchItems(consult.triageMatches),
        member: memberDisplayName(consult.member), assignee: consult.assignee?.name ?? null, assigneeAbsentUntil: consult.assigneeId ? absent.get(consult.assigneeId) ?? null : null,
        canClaim: !consult.assigneeId && !consult.mergedIntoId, mergedInto,
        receivedAt: consult.receivedAt, dueAt: consult.dueAt ?? consult.firstDueAt, waiting: !!consult.dueAt, firstResponseAt: consult.firstResponseAt,
        slaState, sla: slaBadge(slaState, consult), remaining: this.remaining(consult.dueAt, now),
        dueExplanation: this.calendar.explainDue(waiting ? waiting.occurredAt : consult.receivedAt).text,
        hasEncrypted: thread.some((m) => m.attachments?.some((a) => a.encrypted)),
      },
      usage, messages, outbound: outbound.map((o) => outboundItem(o, outboundFiles.get(o.id) ?? [], consult.member, user.role, mask)), statusOptions: statusOptions(consult.status),
      replyStatusOptions: statusOptions(form.replyStatus ?? 'waiting_member').filter((s) => s.value !== 'new'),
      cannedReplies: await this.composer.choices(consult), ...this.composer.fileInputView(),
      seenMessageId: thread.reduce((max, m) => Math.max(max, m.id), 0),
      timeline: timeline.map((e) => timelineItem(e, mask)), history: history.map((c) => historyItem(c, mask)),
      similar: similar.map((c) => ({ ...c, subject: shown(c.subject) })), duplicates: duplicates.map((c) => ({ ...c, subject: shown(c.subject) })), faq: faq.map((e) => ({ id: e.id, title: e.title, category: e.category })),
      categoryOptions: categoryOptions(consult.category), priorityOptions: priorityOptions(consult.priority),
      staffOptions: staff.filter((u) => u.active && u.id !== consult.assigneeId).map((u) => ({ email: u.email, name: u.name, absentUntil: absent.get(u.id) ?? null })),
      ...form,
    });
  }

  private remaining(dueAt: Date | null, now: Date): string | null {
    return dueAt ? remainingLabel((from, to) => this.calendar.businessMinutesBetween(from, to), dueAt, now) : null;
  }
}
