import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { AssignmentService } from '@kkd/assignment';
import { ConsultsService } from '@kkd/consults';
import { Clock, ValidationError } from '@kkd/core';
import { IdentityMaskService, MemberIdentityService } from '@kkd/membership';
import { seesIdentity, StaffService, StaffUser } from '@kkd/staff';
import { UsageService } from '@kkd/usage';
import { Access } from '../http/access.decorator';
import { CurrentUser } from '../http/current-user.decorator';
import { IdParam } from '../http/id-param.decorator';
import { NoteBody, ReplyBody, TicketListQuery, TicketPatchBody } from './api.dto';
import { searchHighlight, ticketDetail, ticketSummary } from './ticket.presenter';

const PAGE_SIZE = 50;

@Controller('api/tickets')
export class TicketsController {
  constructor(
    private readonly consults: ConsultsService,
    private readonly assignment: AssignmentService,
    private readonly staff: StaffService,
    private readonly identity: MemberIdentityService,
    private readonly clock: Clock,
    private readonly usage: UsageService,
    private readonly masks: IdentityMaskService,
  ) {}

  @Get()
  @Access('expert')
  async list(@Query() query: TicketListQuery, @CurrentUser() user: StaffUser) {
    const assigneeId = await this.assigneeFilter(query.assignee, user);
    const q = query.q?.trim() || undefined;
    const { items, total, highlights } = await this.consults.list({
      status: query.status, assigneeId, q, sla: query.sla, page: query.page ?? 1, pageSize: PAGE_SIZE, order: query.order ?? (q ? 'relevance' : 'newest'),
    }, { seesIdentity: seesIdentity(user) });
    const now = this.clock.now();
    // The answer carries identity fields for managers and admins: each member shown is audited.
    if (seesIdentity(user)) await this.identity.recordViews(items.map((c) => c.member), user, 'api.tickets');
    // Experts read subjects with the member's identity masked (PRODUCT.md, privacy).
    const masks = seesIdentity(user) ? null : await this.masks.maskersFor(items.map((c) => c.memberId));
    return {
      items: items.map((c) => ({ ...ticketSummary(c, this.consults.slaStateOf(c, now), user, masks?.get(c.memberId)), ...searchHighlight(highlights?.get(c.id)) })),
      total, page: query.page ?? 1, pageSize: PAGE_SIZE,
    };
  }

  @Get(':number')
  @Access('expert')
  async show(@IdParam('number', 'consult') number: number, @CurrentUser() user: StaffUser) {
    const { consult, thread, outbound } = await this.consults.detail(number);
    if (seesIdentity(user)) await this.identity.recordViews([consult.member], user, 'api.ticket', { consult: number });
    // Experts read the member's texts with the member's identity masked (PRODUCT.md, privacy).
    const mask = seesIdentity(user) ? null : await this.masks.maskerFor(consult.memberId);
    return ticketDetail(consult, thread, outbound, this.consults.slaStateOf(consult), user, await this.usage.ofConsult(consult), mask);
  }

  @Post(':number/replies')
  @Access('expert')
  async reply(@IdParam('number', 'consult') number: number, @Body() body: ReplyBody, @CurrentUser() user: StaffUser) {
    const message = await this.consults.reply(number, user, body.body, body.status ?? 'waiting_member');
    return { id: message.id, number, status: 'queued' };
  }

  @Post(':number/notes')
  @Access('expert')
  async note(@IdParam('number', 'consult') number: number, @Body() body: NoteBody, @CurrentUser() user: StaffUser) {
    const message = await this.consults.addNote(number, user, body.body);
    return { id: message.id, number };
  }

  @Patch(':number')
  @Access('expert')
  @HttpCode(200)
  async update(@IdParam('number', 'consult') number: number, @Body() body: TicketPatchBody, @CurrentUser() user: StaffUser) {
    const { assignee, reason, ...patch } = body;
    // The console's rule: an expert only claims a consult for themself; managers reassign (403 otherwise).
    if (assignee !== undefined) await this.assignment.assign(number, assignee, reason?.trim() || 'API から変更', user);
    if (Object.keys(patch).length) await this.consults.update(number, patch, user);
    return this.show(number, user);
  }

  private async assigneeFilter(assignee: string | undefined, user: StaffUser): Promise<number | null | undefined> {
    if (!assignee) return undefined;
    if (assignee === 'me') return user.id;
    if (assignee === 'none') return null;
    const staff = await this.staff.findByEmail(assignee);
    if (!staff) throw new ValidationError('assignee', `no staff account ${assignee}`);
    return staff.id;
  }
}
