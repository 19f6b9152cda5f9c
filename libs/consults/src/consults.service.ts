import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BusinessCalendar } from '@kkd/calendar';
import { AppConfig, Clock, NotFoundError, SettingsService, TransactionRunner, ValidationError } from '@kkd/core';
import { AcceptedFile, bareSubject, MailTemplates, OutboundAttachment, OutboundMail, OutboxService, REPLY_SIGNATURE, replyReferences, taggedSubject } from '@kkd/mail';
import { Member, memberDisplayName } from '@kkd/membership';
import { StaffUser } from '@kkd/staff';
import { Category, CATEGORY_LABELS, ConsultStatus, Priority, PRIORITY_LABELS, SlaState } from './consult-codes';
import { ConsultListQuery, ConsultRepository } from './consult.repository';
import { ConsultListResult, ConsultSearchService } from './consult-search.service';
import { ReplyConflictError, StatusTransitionError } from './consults.exception';
import { Attachment } from './entities/attachment.entity';
import { Consult } from './entities/consult.entity';
import { ConsultEvent } from './entities/consult-event.entity';
import { Message } from './entities/message.entity';
import { SlaFacts, slaState } from './utils/sla-state.util';
import { canTransition, statusAfterMemberMail, statusChangeSummary } from './utils/status-transition.util';

export interface InboundMessageInput {
  fromAddress: string;
  messageIdHeader: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  text: string;
  html: string | null;
  headersJson: string | null;
  rawPath: string;
  parseError: string | null;
  receivedAt: Date;
  attachments: Pick<Attachment, 'filename' | 'contentType' | 'size' | 'sha256' | 'storagePath' | 'encrypted'>[];
}

/** What staff may change on a consult directly (assignment has its own rules, in libs/assignment). */
export interface ConsultPatch {
  status?: ConsultStatus;
  category?: Category;
  priority?: Priority;
}

/** Guards against two experts answering at once: the last message the replying page had seen. */
export interface ReplyGuard {
  seenMessageId: number;
  /** The expert saw the warning and sends anyway. */
  confirmed: boolean;
}

/** How many of a member's earlier consults the consult page lists. */
const MEMBER_HISTORY_LIMIT = 10;

/** The consult and its thread: opening, follow-ups, replies, notes and status. */
@Injectable()
export class ConsultsService {
  constructor(
    private readonly repo: ConsultRepository,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly calendar: BusinessCalendar,
    private readonly outbox: OutboxService,
    private readonly templates: MailTemplates,
    private readonly config: AppConfig,
    private readonly settings: SettingsService,
    private readonly search: ConsultSearchService,
  ) {}

  /** Opens a consult from a member's first mail, inside the intake's transaction. */
  async openFromInbound(em: EntityManager, member: Member, input: InboundMessageInput): Promise<{ consult: Consult; message: Message }> {
    const number = await this.repo.nextNumber(em);
    const due = this.calendar.dueAt(input.receivedAt);
    const now = this.clock.now();
    const facts = { firstDueAt: due, dueAt: due, firstResponseAt: null };
    // insert, not save: one INSERT without save's change tracking (it runs for every new consult).
    const consult = em.getRepository(Consult).create({
      number, memberId: member.id, subject: bareSubject(input.subject) || '(件名なし)', status: 'new', category: 'general',
      priority: 'normal', categorySource: 'triage', prioritySource: 'triage', triageMatches: null, assigneeId: null, assignedAt: null, mergedIntoId: null, replyAddress: input.fromAddress, receivedAt: input.receivedAt,
      ...facts, slaState: this.slaStateOf(facts, now), lastMessageAt: input.receivedAt, createdAt: now, updatedAt: now,
    });
    await em.getRepository(Consult).insert(consult);
    consult.member = member;
    const message = await this.saveInbound(em, consult, input, due);
    return { consult, message };
  }

  /**
   * Adds a member's follow-up to its consult; it waits for an answer on its own due time. The
   * member's mail now goes to the address this one came from (one of theirs: intake threads only
   * a member's own mail), so whoever wrote last gets the answer.
   */
  async appendInbound(em: EntityManager, consult: Consult, input: InboundMessageInput): Promise<Message> {
    const due = this.calendar.dueAt(input.receivedAt);
    const message = await this.saveInbound(em, consult, input, due);
    // The consult's due time is that of its oldest waiting message.
    const dueAt = consult.dueAt && consult.dueAt < due ? consult.dueAt : due;
    const status = statusAfterMemberMail(consult.status);
    const now = this.clock.now();
    await em.getRepository(Consult).update(consult.id, {
      status, dueAt, slaState: this.slaStateOf({ ...consult, dueAt }),
      lastMessageAt: input.receivedAt, replyAddress: input.fromAddress, updatedAt: now,
    });
    // Only a follow-up that reopens or wakes the consult adds a statement here.
    if (status !== consult.status) await this.repo.recordEvent(em, consult.id, 'status_changed', statusChangeSummary(consult.status, status, 'member_mail'), null, now);
    return message;
  }

  private async saveInbound(em: EntityManager, consult: Consult, input: InboundMessageInput, dueAt: Date): Promise<Message> {
    const repo = em.getRepository(Message);
    const message = repo.create({
      consultId: consult.id, direction: 'inbound', authorId: null, fromAddress: input.fromAddress,
      messageIdHeader: input.messageIdHeader, inReplyTo: input.inReplyTo, referencesHeader: input.references.join(' ') || null,
      subject: input.subject, text: input.text, html: input.html, headersJson: input.headersJson, rawPath: input.rawPath,
      parseError: input.parseError, dueAt, answeredAt: null, occurredAt: input.receivedAt, createdAt: this.clock.now(),
    });
    await repo.insert(message);
    message.attachments = input.attachments.map((a) => em.getRepository(Attachment).create({ ...a, messageId: message.id }));
    if (message.attachments.length) await em.getRepository(Attachment).insert(message.attachments);
    return message;
  }

  /** A page of the queue; with `q`, the search's matches and their highlights. */
  list(query: ConsultListQuery, viewer?: { seesIdentity: boolean }): Promise<ConsultListResult> {
    return query.q ? this.search.list(query, viewer) : this.repo.list(query);
  }

  /** The consult with its whole thread and the mail sent for it. */
  async detail(number: number): Promise<{ consult: Consult; thread: Message[]; outbound: OutboundMail[]; outboundFiles: Map<number, OutboundAttachment[]> }> {
    const consult = await this.get(number);
    const [thread, outbound] = await Promise.all([this.repo.thread(consult.id), this.outbox.findForConsult(consult.id)]);
    return { consult, thread, outbound, outboundFiles: await this.outbox.attachmentsOf(outbound.map((o) => o.id)) };
  }

  /** The SLA state at `now` (the stored one may be up to a sweep interval old). */
  slaStateOf(facts: SlaFacts, now = this.clock.now()): SlaState {
    return slaState(facts, now, (from, to) => this.calendar.businessMinutesBetween(from, to), this.config.SLA_AT_RISK_BUSINESS_MINUTES);
  }

  timeline(consultId: number): Promise<ConsultEvent[]> {
    return this.repo.timeline(consultId);
  }

  /** The member's earlier consults (up to 10, newest first, merged ones left out): context without identity. */
  memberHistory(consult: Consult): Promise<Consult[]> {
    return this.repo.memberHistory(consult, MEMBER_HISTORY_LIMIT);
  }

  /** The public number of a consult by its row id (e.g. where a merged consult went). */
  async numberOf(consultId: number): Promise<number | null> {
    return (await this.repo.findById(consultId))?.number ?? null;
  }

  async get(number: number): Promise<Consult> {
    const consult = await this.repo.findByNumber(number);
    if (!consult) throw new NotFoundError('consult', number);
    return consult;
  }

  /**
   * A staff reply to the member: stored on the thread and queued for sending in one transaction.
   * It answers every waiting member message (a response for the SLA).
   */
  async reply(number: number, author: StaffUser, body: string, nextStatus: ConsultStatus = 'waiting_member', guard?: ReplyGuard, files: AcceptedFile[] = []): Promise<Message> {
    if (!body.trim()) throw new ValidationError('body', '本文を入力してください。');
    return this.tx.run(async (em) => {
      const consult = await this.repo.findByNumber(number, em);
      if (!consult) throw new NotFoundError('consult', number);
      if (!canTransition(consult.status, nextStatus)) throw new StatusTransitionError(consult.number, consult.status, nextStatus, 'reply');
      const now = this.clock.now();
      const thread = await em.getRepository(Message).find({ where: { consultId: consult.id }, order: { occurredAt: 'ASC', id: 'ASC' } });
      // No silent double answer: a reply sent since the page was opened stops this one until confirmed.
      const sentSince = guard && !guard.confirmed ? thread.filter((m) => m.direction === 'outbound' && m.id > guard.seenMessageId) : [];
      if (sentSince.length) throw new ReplyConflictError(number, sentSince[sentSince.length - 1].id);
      // The reply answers the member's latest mail: it goes to that mail's sender and threads under it.
      const lastInbound = [...thread].reverse().find((m) => m.direction === 'inbound');
      const to = lastInbound?.fromAddress || consult.replyAddress;
      const references = replyReferences(
        lastInbound ? { messageId: lastInbound.messageIdHeader, references: lastInbound.referencesHeader } : null,
        thread.filter((m) => m.direction !== 'note' && m.messageIdHeader).map((m) => m.messageIdHeader as string),
      );
      const messageIdHeader = this.outbox.newMessageId(consult.number);
      const message = await em.getRepository(Message).save(em.getRepository(Message).create({
        consultId: consult.id, direction: 'outbound', authorId: author.id, fromAddress: null, messageIdHeader,
        inReplyTo: lastInbound?.messageIdHeader ?? null, referencesHeader: references.join(' ') || null,
        subject: taggedSubject(consult.number, consult.subject, 'Re: '), text: body.trim(), html: null, headersJson: null,
        rawPath: null, parseError: null, dueAt: null, answeredAt: null, occurredAt: now, createdAt: now,
      }));
      await this.outbox.enqueue(em, {
        consultId: consult.id, messageRowId: message.id, kind: 'reply', to, subject: message.subject,
        bodyText: await this.replyText(consult, author, body, em),
        inReplyTo: message.inReplyTo, references, attachments: files,
      }, messageIdHeader);
      // A reply to the member answers every member message still waiting in this consult.
      await em.createQueryBuilder().update(Message).set({ answeredAt: now })
        .where('consult_id = :id AND direction = :inbound AND answered_at IS NULL', { id: consult.id, inbound: 'inbound' }).execute();
      const facts = { firstDueAt: consult.firstDueAt, dueAt: null, firstResponseAt: consult.firstResponseAt ?? now };
      await em.getRepository(Consult).update(consult.id, {
        status: nextStatus, ...facts, slaState: this.slaStateOf(facts, now), lastMessageAt: now, updatedAt: now,
        assigneeId: consult.assigneeId ?? author.id, ...(consult.assigneeId ? {} : { assignedAt: now }),
      });
      if (nextStatus !== consult.status) {
        await this.repo.recordEvent(em, consult.id, 'status_changed', statusChangeSummary(consult.status, nextStatus, { staff: author.name, by: 'reply' }), author.id, now);
      }
      if (!consult.assigneeId) await this.repo.recordEvent(em, consult.id, 'assigned', `回答により ${author.name} が担当になりました`, author.id, now);
      return message;
    });
  }

  /** The reply mail as the member would receive it (subject and text), without storing or sending anything. */
  async previewReply(number: number, author: StaffUser, body: string): Promise<{ subject: string; bodyText: string }> {
    if (!body.trim()) throw new ValidationError('body', '本文を入力してください。');
    const consult = await this.get(number);
    return { subject: taggedSubject(consult.number, consult.subject, 'Re: '), bodyText: await this.replyText(consult, author, body) };
  }

  /** A reply's mail text: greeting, the expert's text, and the secretariat's signature (a setting) last. */
  private async replyText(consult: Consult, author: StaffUser, body: string, em?: EntityManager): Promise<string> {
    return this.templates.render('reply', {
      displayName: memberDisplayName(consult.member), body: body.trim(), expertName: author.name, number: consult.number,
      signature: await this.settings.get(REPLY_SIGNATURE, em),
    });
  }

  /** An internal note: never mailed, not a response. */
  async addNote(number: number, author: StaffUser, body: string): Promise<Message> {
    if (!body.trim()) throw new ValidationError('body', 'メモを入力してください。');
    return this.tx.run(async (em) => {
      const consult = await this.repo.findByNumber(number, em);
      if (!consult) throw new NotFoundError('consult', number);
      const now = this.clock.now();
      const repo = em.getRepository(Message);
      return repo.save(repo.create({
        consultId: consult.id, direction: 'note', authorId: author.id, fromAddress: null, messageIdHeader: null,
        inReplyTo: null, referencesHeader: null, subject: '', text: body.trim(), html: null, headersJson: null, rawPath: null,
        parseError: null, dueAt: null, answeredAt: null, occurredAt: now, createdAt: now,
      }));
    });
  }

  /** Status, and an expert's override of triage's category or priority (each change shown on the timeline). */
  async update(number: number, patch: ConsultPatch, actor: StaffUser): Promise<Consult> {
    await this.tx.run(async (em) => {
      const consult = await this.repo.findByNumber(number, em);
      if (!consult) throw new NotFoundError('consult', number);
      if (patch.status && !canTransition(consult.status, patch.status)) throw new StatusTransitionError(consult.number, consult.status, patch.status);
      const now = this.clock.now();
      // A resolved or closed consult waits for nobody: its clock stops. Reopened, the member's
      // mail that no reply answered waits again, on its own due time (already passed, it is breached).
      const done = (status: ConsultStatus) => status === 'resolved' || status === 'closed';
      const stops = !!patch.status && done(patch.status) && !done(consult.status);
      const reopens = !!patch.status && !done(patch.status) && done(consult.status);
      const dueAt = stops ? null : reopens ? await this.repo.oldestWaitingDue(consult.id, em) : consult.dueAt;
      const category = patch.category && patch.category !== consult.category ? patch.category : null;
      const priority = patch.priority && patch.priority !== consult.priority ? patch.priority : null;
      const status = patch.status && patch.status !== consult.status ? patch.status : null;
      await em.getRepository(Consult).update(consult.id, {
        ...(patch.status ? { status: patch.status } : {}),
        ...(stops || reopens ? { dueAt, slaState: this.slaStateOf({ ...consult, dueAt }, now) } : {}),
        ...(category ? { category, categorySource: 'staff' as const } : {}),
        ...(priority ? { priority, prioritySource: 'staff' as const } : {}),
        updatedAt: now,
      });
      if (status) await this.repo.recordEvent(em, consult.id, 'status_changed', statusChangeSummary(consult.status, status, { staff: actor.name }), actor.id, now);
      if (category) {
        await this.repo.recordEvent(em, consult.id, 'category_changed', `分類を変更: ${CATEGORY_LABELS[consult.category]} → ${CATEGORY_LABELS[category]}（${actor.name}）`, actor.id, now);
      }
      if (priority) {
        await this.repo.recordEvent(em, consult.id, 'priority_changed', `優先度を変更: ${PRIORITY_LABELS[consult.priority]} → ${PRIORITY_LABELS[priority]}（${actor.name}）`, actor.id, now);
      }
    });
    return this.get(number);
  }
}
