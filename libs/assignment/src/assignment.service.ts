import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Category, CATEGORY_LABELS, Consult, ConsultRepository, OPEN_STATUSES, PRIORITY_LABELS } from '@kkd/consults';
import { AppConfig, Clock, DomainEvents, formatJst, NotFoundError, statementsTogether, TransactionRunner, ValidationError } from '@kkd/core';
import { MailTemplates, OutboxService, taggedSubject } from '@kkd/mail';
import { IdentityMaskService, memberDisplayName } from '@kkd/membership';
import { AbsenceService, japanDateOf, skillsOf, StaffAbsence, StaffService, StaffUser } from '@kkd/staff';
import { AlreadyAssignedError, AssignmentForbiddenError } from './assignment.exception';
import { AssignmentChoice, chooseExpert, ExpertCandidate } from './utils/choose-expert.util';

/** An expert as the console lists them: profile, current load and absences. */
export interface RosterEntry {
  user: StaffUser;
  skills: string[];
  load: number;
  /** Absent today: the last day of the absence. */
  absentUntil: string | null;
  absences: StaffAbsence[];
}

/** A raw row of the candidates query (PostgreSQL returns counts as strings). */
interface CandidateRow {
  id: number | string;
  email: string;
  name: string;
  skills: string;
  capacity: number | string;
  seq: number | string;
  load: number | string;
  absent_until: string | null;
}

/** Who a consult goes to: enough of a staff member to record and notify. */
type Assignee = Pick<StaffUser, 'id' | 'name' | 'email'>;

/** Managers and admins reassign; an expert (and any role added later) only claims (「担当する」). */
const mayReassign = (user: Pick<StaffUser, 'role'>): boolean => user.role === 'manager' || user.role === 'admin';

export interface BulkReassignResult {
  moved: number;
  unassigned: number;
}

/**
 * Who handles a consult: automatic assignment after triage (by the rule in chooseExpert), claims,
 * and managers' reassignments. Every change goes on the consult's timeline with its reason, and
 * the new assignee (or, when nobody fits, the managers) gets a mail.
 */
@Injectable()
export class AssignmentService implements OnModuleInit {
  constructor(
    private readonly consults: ConsultRepository,
    private readonly staff: StaffService,
    private readonly absences: AbsenceService,
    private readonly outbox: OutboxService,
    private readonly templates: MailTemplates,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
    private readonly config: AppConfig,
    private readonly masks: IdentityMaskService,
  ) {}

  onModuleInit(): void {
    // A consult just opened in this transaction is as carried: only the counter is taken. Its row
    // lock serialises intakes (PostgreSQL) until the COMMIT, so the assignment is the last step.
    this.events.on('consult.triaged', 'assignment', (em, { consult }) =>
      this.tx.atEnd(em, `assignment of consult ${consult.id}`, async (last) => this.assignByRule(last, consult, await this.nextSeq(last))));
  }

  /** Assigns by the rule inside the caller's transaction; `exclude` leaves those experts out. */
  async autoAssign(em: EntityManager, consultId: number, options: { exclude?: number[]; actor?: StaffUser; why?: string } = {}): Promise<AssignmentChoice> {
    // Serialises assignments (the counter row's lock on PostgreSQL; SQLite writes one at a time):
    // two consults arriving together are decided one after the other, on fresh loads.
    const [seq, consult] = await statementsTogether(em, [() => this.nextSeq(em), () => this.load(em, consultId)]);
    return this.assignByRule(em, consult, seq, options);
  }

  private async assignByRule(em: EntityManager, consult: Readonly<Consult>, seq: number, options: { exclude?: number[]; actor?: StaffUser; why?: string } = {}): Promise<AssignmentChoice> {
    const candidates = (await this.candidates(em, consult.category)).filter((c) => !options.exclude?.includes(c.id));
    const choice = chooseExpert(candidates, consult.category);
    const prefix = options.why ? `${options.why}: ` : '自動割当: ';
    if (choice.expert) {
      const expert = { id: choice.expert.id, name: choice.expert.name, email: choice.expert.email };
      await this.setAssignee(em, consult, expert, `${prefix}${expert.name}（${choice.reason}）`, options.actor ?? null, seq);
    } else {
      await this.setAssignee(em, consult, null, `${prefix}割り当てられませんでした（${choice.reason}）。未割当の一覧に入りました`, options.actor ?? null, seq);
      await this.notifyManagers(em, consult, choice.reason);
    }
    return choice;
  }

  /** 「担当する」: an expert takes an unassigned consult (or one already theirs). */
  async claim(number: number, user: StaffUser): Promise<void> {
    await this.tx.run(async (em) => {
      const consult = await this.byNumber(em, number);
      if (consult.assigneeId === user.id) return;
      if (consult.assignee) throw new AlreadyAssignedError(number, consult.assignee.name);
      await this.setAssignee(em, consult, user, `担当する: ${user.name} が担当になりました`, user, await this.nextSeq(em));
    });
  }

  /**
   * Sets the assignee as the actor's role allows, the console's rule for every edge: a manager or
   * admin reassigns; an expert may only claim the consult for themself, as 「担当する」 does.
   * Naming the assignee the consult already has changes nothing and is let through (a client
   * sending back the consult as it read it).
   */
  async assign(number: number, toEmail: string | null, reason: string, actor: StaffUser): Promise<void> {
    if (mayReassign(actor)) return this.reassign(number, toEmail, reason, actor);
    const target = toEmail ? await this.staff.findByEmail(toEmail) : null;
    if (target && target.id === actor.id) return this.claim(number, actor);
    const consult = await this.consults.findByNumber(number);
    if (!consult) throw new NotFoundError('consult', number);
    if ((toEmail === null || target) && (consult.assigneeId ?? null) === (target?.id ?? null)) return;
    throw new AssignmentForbiddenError();
  }

  /** A manager's reassignment to a named staff member (or to nobody), with the reason required. */
  async reassign(number: number, toEmail: string | null, reason: string, actor: StaffUser): Promise<void> {
    if (!mayReassign(actor)) throw new AssignmentForbiddenError();
    const why = reason.trim();
    if (!why) throw new ValidationError('reason', '再割当の理由を入力してください。');
    const target = toEmail ? await this.staff.findByEmail(toEmail) : null;
    if (toEmail && (!target || !target.active)) throw new ValidationError('assignee', `有効な担当者 ${toEmail} が見つかりません。`);
    await this.tx.run(async (em) => {
      const consult = await this.byNumber(em, number);
      if ((consult.assigneeId ?? null) === (target?.id ?? null)) return;
      const from = consult.assignee?.name ?? '未割当';
      const summary = `再割当: ${from} → ${target?.name ?? '未割当'}（理由: ${why}・${actor.name}）`;
      await this.setAssignee(em, consult, target, summary, actor, target ? await this.nextSeq(em) : null);
    });
  }

  /** A manager asks the rule again (the current assignee left out), e.g. when they are absent. */
  async reassignByRule(number: number, reason: string, actor: StaffUser): Promise<AssignmentChoice> {
    if (!mayReassign(actor)) throw new AssignmentForbiddenError();
    const why = reason.trim();
    if (!why) throw new ValidationError('reason', '再割当の理由を入力してください。');
    return this.tx.run(async (em) => {
      const consult = await this.byNumber(em, number);
      return this.autoAssign(em, consult.id, { exclude: consult.assigneeId ? [consult.assigneeId] : [], actor, why: `ルールで再割当（理由: ${why}・${actor.name}）` });
    });
  }

  /** Every open consult of an (absent or leaving) expert goes back through the rule, without them. */
  async bulkReassignFrom(staffId: number, reason: string, actor: StaffUser): Promise<BulkReassignResult> {
    if (!mayReassign(actor)) throw new AssignmentForbiddenError();
    const why = reason.trim();
    if (!why) throw new ValidationError('reason', '再割当の理由を入力してください。');
    const from = await this.staff.findById(staffId);
    if (!from) throw new NotFoundError('staff user', staffId);
    return this.tx.run(async (em) => {
      const open = await em.getRepository(Consult).find({ where: { assigneeId: staffId, status: In([...OPEN_STATUSES]) }, order: { dueAt: 'ASC', id: 'ASC' } });
      const result: BulkReassignResult = { moved: 0, unassigned: 0 };
      for (const consult of open) {
        const choice = await this.autoAssign(em, consult.id, { exclude: [staffId], actor, why: `${from.name} の一括再割当（理由: ${why}・${actor.name}）` });
        result[choice.expert ? 'moved' : 'unassigned']++;
      }
      return result;
    });
  }

  /** Who the rule would choose for a new consult of a category now, and among whom (changes nothing). */
  async preview(category: Category): Promise<{ choice: AssignmentChoice; candidates: ExpertCandidate[] }> {
    const candidates = await this.candidates(this.tx.readManager, category);
    return { choice: chooseExpert(candidates, category), candidates };
  }

  /** Every staff member who can take consults (experts, and anyone with a skill), with load and absences. */
  async roster(): Promise<RosterEntry[]> {
    const staff = (await this.staff.list()).filter((u) => u.role === 'expert' || skillsOf(u).length > 0);
    const ids = staff.map((u) => u.id);
    const [loads, absentNow, absences] = await Promise.all([this.consults.openLoads(ids), this.absences.absentAt(this.clock.now()), this.absences.current(ids)]);
    return staff.map((user) => ({
      user, skills: skillsOf(user), load: loads.get(user.id) ?? 0, absentUntil: absentNow.get(user.id) ?? null,
      absences: absences.filter((a) => a.userId === user.id),
    }));
  }

  /** The assignment rule's inputs for a category: every staff member with the skill, their load and absence. */
  async candidates(em: EntityManager, category: Category, at = this.clock.now()): Promise<ExpertCandidate[]> {
    // One statement (it runs inside every intake): profile, open load and today's absence together.
    const rows: CandidateRow[] = await em.getRepository(StaffUser).createQueryBuilder('s')
      .select(['s.id AS id', 's.email AS email', 's.name AS name', 's.skills AS skills', 's.capacity AS capacity', 's.last_assignment_seq AS seq'])
      .addSelect((q) => q.select('COUNT(*)').from(Consult, 'c').where('c.assignee_id = s.id').andWhere('c.status IN (:...open)'), 'load')
      .addSelect((q) => q.select('MAX(a.ends_on)').from(StaffAbsence, 'a').where('a.user_id = s.id').andWhere('a.starts_on <= :day').andWhere('a.ends_on >= :day'), 'absent_until')
      .where('s.active = :active').andWhere('s.skills LIKE :skill')
      .setParameters({ open: OPEN_STATUSES, day: japanDateOf(at), active: true, skill: `%${category}%` })
      .orderBy('s.id', 'ASC').getRawMany();
    return rows.map((r) => ({ ...r, skills: skillsOf(r) })).filter((r) => r.skills.includes(category)).map((r) => ({
      id: Number(r.id), email: r.email, name: r.name, active: true, skills: r.skills, capacity: Number(r.capacity), load: Number(r.load),
      lastAssignmentSeq: Number(r.seq), absentUntil: r.absent_until ?? null,
    }));
  }

  private async setAssignee(em: EntityManager, consult: Consult, assignee: Assignee | null, summary: string, actor: StaffUser | null, seq: number | null): Promise<void> {
    const now = this.clock.now();
    await statementsTogether(em, [
      () => em.getRepository(Consult).update(consult.id, { assigneeId: assignee?.id ?? null, assignedAt: assignee ? now : null, updatedAt: now }),
      () => (assignee && seq !== null ? em.getRepository(StaffUser).update(assignee.id, { lastAssignmentSeq: seq, lastAssignedAt: now }) : null),
      () => this.consults.recordEvent(em, consult.id, assignee ? 'assigned' : 'unassigned', summary, actor?.id ?? null, now),
      // Nobody is mailed about their own claim.
      () => (assignee && assignee.id !== actor?.id ? this.notifyAssignee(em, consult, assignee, summary) : null),
    ]);
  }

  /** The assignee is mostly an expert: the subject is shown with the member's identity masked. */
  private async notifyAssignee(em: EntityManager, consult: Consult, assignee: Assignee, reason: string) {
    const subject = (await this.masks.maskerFor(consult.member, em))(consult.subject);
    return this.outbox.enqueue(em, {
      consultId: consult.id, kind: 'notice', to: assignee.email, consultNumber: consult.number,
      subject: taggedSubject(consult.number, subject, '【担当割当】'),
      bodyText: this.templates.render('assigned', { recipientName: assignee.name, reason, ...this.mailFacts(consult), subject }),
    });
  }

  private async notifyManagers(em: EntityManager, consult: Consult, reason: string): Promise<void> {
    for (const manager of await this.staff.noticeRecipients(em)) {
      await this.outbox.enqueue(em, {
        consultId: consult.id, kind: 'notice', to: manager.email, consultNumber: consult.number,
        subject: taggedSubject(consult.number, consult.subject, '【未割当】'),
        bodyText: this.templates.render('unassigned', { recipientName: manager.name, reason, ...this.mailFacts(consult) }),
      });
    }
  }

  private mailFacts(consult: Consult) {
    const due = consult.dueAt ?? consult.firstDueAt;
    return {
      number: consult.number, subject: consult.subject, member: memberDisplayName(consult.member),
      category: CATEGORY_LABELS[consult.category], priority: PRIORITY_LABELS[consult.priority],
      dueAt: due ? formatJst(due) : '—', consoleUrl: this.config.consoleUrl,
    };
  }

  private async byNumber(em: EntityManager, number: number): Promise<Consult> {
    const consult = await this.consults.findByNumber(number, em);
    if (!consult) throw new NotFoundError('consult', number);
    return consult;
  }

  private async load(em: EntityManager, consultId: number): Promise<Consult> {
    // A join without a limit: one statement (findOne with relations takes two).
    const consult = await em.getRepository(Consult).createQueryBuilder('c').innerJoinAndSelect('c.member', 'member')
      .leftJoinAndSelect('c.assignee', 'assignee').where('c.id = :id', { id: consultId }).getOne();
    if (!consult) throw new NotFoundError('consult', consultId);
    return consult;
  }

  /** The next assignment number; taking it locks the counter row until the transaction ends. */
  private async nextSeq(em: EntityManager): Promise<number> {
    if (!em.queryRunner) throw new Error('assignment runs inside a transaction');
    // The leading comment makes TypeORM's SQLite runner return the RETURNING rows.
    const result = await em.queryRunner.query(
      "/* next assignment */ UPDATE counters SET value = value + 1 WHERE name = 'assignment' RETURNING value", [], true,
    ) as { records: { value: number | string }[] };
    return Number(result.records[0].value);
  }
}
