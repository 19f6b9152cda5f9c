import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BusinessCalendar } from '@kkd/calendar';
import { Clock, NotFoundError, TransactionRunner, ValidationError } from '@kkd/core';
import { MailTemplates, OutboundMail, OutboxService, taggedSubject } from '@kkd/mail';
import { Member, memberDisplayName } from '@kkd/membership';
import { StaffService, StaffUser } from '@kkd/staff';
import { Category, ConsultStatus, Priority, SlaState } from './consult-codes';
import { ConsultListQuery, ConsultRepository } from './consult.repository';
import { StatusTransitionError } from './consults.exception';
import { Attachment } from './entities/attachment.entity';
import { Consult } from './entities/consult.entity';
import { Message } from './entities/message.entity';
import { slaState } from './utils/sla-state.util';
import { canTransition, statusAfterMemberMail } from './utils/status-transition.util';

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

export interface ConsultPatch {
  status?: ConsultStatus;
  /** Staff email; null to unassign. */
  assignee?: string | null;
  category?: Category;
  priority?: Priority;
}

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
    private readonly staff: StaffService,
  ) {}

  /** Opens a consult from a member's first mail, inside the intake's transaction. */
  async openFromInbound(em: EntityManager, member: Member, input: InboundMessageInput): Promise<{ consult: Consult; message: Message }> {
    const number = await this.repo.nextNumber(em);
    const due = this.calendar.dueAt(input.receivedAt);
    const consult = await em.getRepository(Consult).save(em.getRepository(Consult).create({
      number, memberId: member.id, subject: input.subject.trim() || '(件名なし)', status: 'new', category: 'general',
      priority: 'normal', assigneeId: null, replyAddress: input.fromAddress, receivedAt: input.receivedAt,
      firstDueAt: due, dueAt: due, firstResponseAt: null, lastMessageAt: input.receivedAt,
      createdAt: this.clock.now(), updatedAt: this.clock.now(),
    }));
    consult.member = member;
    const message = await this.saveInbound(em, consult, input);
    return { consult, message };
  }

  /** Adds a member's follow-up to its consult; the consult waits for us again. */
  async appendInbound(em: EntityManager, consult: Consult, input: InboundMessageInput): Promise<Message> {
    const message = await this.saveInbound(em, consult, input);
    await em.getRepository(Consult).update(consult.id, {
      status: statusAfterMemberMail(consult.status),
      dueAt: consult.dueAt ?? this.calendar.dueAt(input.receivedAt),
      lastMessageAt: input.receivedAt,
      updatedAt: this.clock.now(),
    });
    return message;
  }

  private saveInbound(em: EntityManager, consult: Consult, input: InboundMessageInput): Promise<Message> {
    const repo = em.getRepository(Message);
    return repo.save(repo.create({
      consultId: consult.id, direction: 'inbound', authorId: null, fromAddress: input.fromAddress,
      messageIdHeader: input.messageIdHeader, inReplyTo: input.inReplyTo, referencesHeader: input.references.join(' ') || null,
      subject: input.subject, text: input.text, html: input.html, headersJson: input.headersJson, rawPath: input.rawPath,
      parseError: input.parseError, occurredAt: input.receivedAt, createdAt: this.clock.now(),
      attachments: input.attachments.map((a) => em.getRepository(Attachment).create(a)),
    }));
  }

  list(query: ConsultListQuery): Promise<{ items: Consult[]; total: number }> {
    return this.repo.list(query);
  }

  /** The consult with its whole thread and the mail sent for it. */
  async detail(number: number): Promise<{ consult: Consult; thread: Message[]; outbound: OutboundMail[] }> {
    const consult = await this.get(number);
    const [thread, outbound] = await Promise.all([this.repo.thread(consult.id), this.outbox.findForConsult(consult.id)]);
    return { consult, thread, outbound };
  }

  slaStateOf(consult: Consult, now = this.clock.now()): SlaState {
    return slaState(consult, now, (from, to) => this.calendar.businessMinutesBetween(from, to));
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
  async reply(number: number, author: StaffUser, body: string, nextStatus: ConsultStatus = 'waiting_member'): Promise<Message> {
    if (!body.trim()) throw new ValidationError('body', '本文を入力してください。');
    return this.tx.run(async (em) => {
      const consult = await this.repo.findByNumber(number, em);
      if (!consult) throw new NotFoundError('consult', number);
      if (!canTransition(consult.status, nextStatus)) throw new StatusTransitionError(consult.status, nextStatus);
      const now = this.clock.now();
      const thread = await em.getRepository(Message).find({ where: { consultId: consult.id }, order: { occurredAt: 'ASC', id: 'ASC' } });
      const lastInbound = [...thread].reverse().find((m) => m.direction === 'inbound');
      const references = thread.filter((m) => m.direction !== 'note' && m.messageIdHeader).map((m) => m.messageIdHeader as string).slice(-20);
      const messageIdHeader = this.outbox.newMessageId(consult.number);
      const message = await em.getRepository(Message).save(em.getRepository(Message).create({
        consultId: consult.id, direction: 'outbound', authorId: author.id, fromAddress: null, messageIdHeader,
        inReplyTo: lastInbound?.messageIdHeader ?? null, referencesHeader: references.join(' ') || null,
        subject: taggedSubject(consult.number, consult.subject, 'Re: '), text: body.trim(), html: null, headersJson: null,
        rawPath: null, parseError: null, occurredAt: now, createdAt: now,
      }));
      await this.outbox.enqueue(em, {
        consultId: consult.id, messageRowId: message.id, kind: 'reply', to: consult.replyAddress, subject: message.subject,
        bodyText: this.templates.render('reply', {
          displayName: memberDisplayName(consult.member), body: body.trim(), expertName: author.name, number: consult.number,
        }),
        inReplyTo: message.inReplyTo, references,
      }, messageIdHeader);
      await em.getRepository(Consult).update(consult.id, {
        status: nextStatus, dueAt: null, firstResponseAt: consult.firstResponseAt ?? now, lastMessageAt: now, updatedAt: now,
        assigneeId: consult.assigneeId ?? author.id,
      });
      return message;
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
        parseError: null, occurredAt: now, createdAt: now,
      }));
    });
  }

  async update(number: number, patch: ConsultPatch): Promise<Consult> {
    const assignee = patch.assignee ? await this.staff.findByEmail(patch.assignee) : null;
    if (patch.assignee && (!assignee || !assignee.active)) throw new ValidationError('assignee', `no active staff account ${patch.assignee}`);
    await this.tx.run(async (em) => {
      const consult = await this.repo.findByNumber(number, em);
      if (!consult) throw new NotFoundError('consult', number);
      if (patch.status && !canTransition(consult.status, patch.status)) throw new StatusTransitionError(consult.status, patch.status);
      await em.getRepository(Consult).update(consult.id, {
        ...(patch.status ? { status: patch.status } : {}),
        // A resolved or closed consult waits for nobody.
        ...(patch.status === 'resolved' || patch.status === 'closed' ? { dueAt: null } : {}),
        ...(patch.category ? { category: patch.category } : {}),
        ...(patch.priority ? { priority: patch.priority } : {}),
        ...(patch.assignee !== undefined ? { assigneeId: assignee?.id ?? null } : {}),
        updatedAt: this.clock.now(),
      });
    });
    return this.get(number);
  }
}
