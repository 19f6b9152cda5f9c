import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { BusinessCalendar } from '@kkd/calendar';
import { Consult, ConsultRepository, ConsultsService, SlaState } from '@kkd/consults';
import { AppConfig, Clock, DomainEvents, formatJst, isUniqueViolation, TransactionRunner } from '@kkd/core';
import { MailTemplates, OutboxService, taggedSubject } from '@kkd/mail';
import { IdentityMaskService, memberDisplayName } from '@kkd/membership';
import { AbsenceService, seesIdentity, StaffService, StaffUser } from '@kkd/staff';
import { SlaWarning, SlaWarningKind } from './entities/sla-warning.entity';
import { describeBusinessMinutes } from './utils/remaining-time.util';

export interface SweepResult {
  /** Consults whose stored SLA state changed. */
  moved: number;
  /** Warnings sent (each to one or more staff). */
  warned: number;
}

/**
 * Moves the SLA states of waiting consults as time passes and sends each warning once: at risk →
 * the assignee (the managers when unassigned, or when the assignee is absent: they are offered
 * the consult for reassignment), breached → the managers. A warning and its mails
 * are one transaction with a unique row per (consult, kind, due time): a sweep that crashes midway
 * is safe to repeat, and two sweeping at once cannot both send.
 */
@Injectable()
export class SlaSweepService implements OnModuleInit {
  private readonly logger = new Logger(SlaSweepService.name);

  constructor(
    @InjectRepository(SlaWarning) private readonly warnings: Repository<SlaWarning>,
    private readonly consultRepo: ConsultRepository,
    private readonly consults: ConsultsService,
    private readonly calendar: BusinessCalendar,
    private readonly staff: StaffService,
    private readonly absences: AbsenceService,
    private readonly outbox: OutboxService,
    private readonly templates: MailTemplates,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly masks: IdentityMaskService,
  ) {}

  onModuleInit(): void {
    this.events.on('consult.merged', 'sla-warnings', (em, { sourceId, targetId }) => this.moveWarnings(em, sourceId, targetId));
  }

  /**
   * A merge moves the duplicate's messages with their due times, so the warnings already sent for
   * those due times move too: the target is not warned a second time for the same message.
   */
  private async moveWarnings(em: EntityManager, sourceId: number, targetId: number): Promise<void> {
    const repo = em.getRepository(SlaWarning);
    const onTarget = new Set((await repo.find({ where: { consultId: targetId } })).map((w) => `${w.kind}|${w.dueAt.getTime()}`));
    for (const warning of await repo.find({ where: { consultId: sourceId } })) {
      // The unique key (consult, kind, due time): one already on the target stands for both.
      if (onTarget.has(`${warning.kind}|${warning.dueAt.getTime()}`)) await repo.delete(warning.id);
      else await repo.update(warning.id, { consultId: targetId });
    }
  }

  async sweep(now = this.clock.now()): Promise<SweepResult> {
    const changes = new Map<number, SlaState>();
    const due: { consult: Consult; kind: SlaWarningKind }[] = [];
    for (const consult of await this.consultRepo.waitingForAnswer()) {
      const state = this.consults.slaStateOf(consult, now);
      if (state !== consult.slaState) changes.set(consult.id, state);
      if (state === 'at_risk' || state === 'breached') due.push({ consult, kind: state });
    }
    // Warnings sent by earlier sweeps are skipped here; the unique row settles a race between instances.
    const sent = await this.sentWarnings(due.map((d) => d.consult.id));
    let warned = 0;
    for (const { consult, kind } of due) {
      if (sent.has(`${consult.id}|${kind}|${consult.dueAt!.getTime()}`)) continue;
      if (await this.warnOnce(consult, kind, now)) warned++;
    }
    if (changes.size) await this.tx.run((em) => this.consultRepo.saveSlaStates(changes, em));
    if (changes.size || warned) this.logger.log(`SLA sweep: ${changes.size} state(s) moved, ${warned} warning(s) sent`);
    return { moved: changes.size, warned };
  }

  private async sentWarnings(consultIds: number[]): Promise<Set<string>> {
    if (consultIds.length === 0) return new Set();
    const rows = await this.warnings.find({ where: { consultId: In(consultIds) } });
    return new Set(rows.map((w) => `${w.consultId}|${w.kind}|${w.dueAt.getTime()}`));
  }

  /** True when this call sent the warning; false when it had been sent already. */
  private async warnOnce(consult: Consult, kind: SlaWarningKind, now: Date): Promise<boolean> {
    const dueAt = consult.dueAt as Date;
    const absentUntil = consult.assigneeId ? (await this.absences.absentAt(now)).get(consult.assigneeId) ?? null : null;
    const toAssignee = kind === 'at_risk' && consult.assignee?.active && !absentUntil;
    const recipients = toAssignee ? [consult.assignee as StaffUser] : await this.staff.noticeRecipients();
    try {
      return await this.tx.run(async (em) => {
        // The row first: its unique key decides who sends (and on SQLite a transaction that writes
        // first waits for the lock instead of failing on a stale snapshot).
        await em.getRepository(SlaWarning).insert({ consultId: consult.id, kind, dueAt, createdAt: now });
        const waiting = await this.consultRepo.messageDueAt(consult.id, dueAt, em);
        const explanation = this.calendar.explainDue(waiting?.occurredAt ?? consult.receivedAt).text;
        // The at-risk warning goes to the assignee, mostly an expert: the subject the member wrote is masked for them.
        const masked = recipients.some((r) => !seesIdentity(r)) ? (await this.masks.maskerFor(consult.memberId, em))(consult.subject) : consult.subject;
        for (const recipient of recipients) {
          const subject = seesIdentity(recipient) ? consult.subject : masked;
          await this.enqueueWarning(em, consult, subject, kind, recipient, explanation, absentUntil, now);
        }
        return true;
      });
    } catch (err) {
      // Sent before, by an earlier sweep or by another instance at the same moment.
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  /** `subject`: the consult's subject as this recipient may read it (masked for an expert). */
  private enqueueWarning(
    em: EntityManager, consult: Consult, subject: string, kind: SlaWarningKind, recipient: StaffUser, explanation: string, absentUntil: string | null, now: Date,
  ) {
    const dueAt = consult.dueAt as Date;
    return this.outbox.enqueue(em, {
      consultId: consult.id, kind: 'notice', to: recipient.email, consultNumber: consult.number,
      subject: taggedSubject(consult.number, subject, kind === 'at_risk' ? '【期限間近】' : '【期限超過】'),
      bodyText: this.templates.render(kind === 'at_risk' ? 'sla-at-risk' : 'sla-breached', {
        recipientName: recipient.name, number: consult.number, subject, member: memberDisplayName(consult.member),
        assignee: consult.assignee?.name ?? '未割当', dueAt: formatJst(dueAt), explanation, absentUntil,
        remaining: describeBusinessMinutes(this.calendar.businessMinutesBetween(now, dueAt)), consoleUrl: this.config.consoleUrl,
      }),
    });
  }
}
