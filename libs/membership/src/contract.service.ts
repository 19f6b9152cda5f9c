import { Injectable } from '@nestjs/common';
import { EntityManager, In, IsNull, Not } from 'typeorm';
import { AuditActor, AuditService } from '@kkd/audit';
import { jstDateOf } from '@kkd/calendar';
import { Clock, DomainEvents, NotFoundError, TransactionRunner, ValidationError } from '@kkd/core';
import { ContractEvent, ContractEventKind } from './entities/contract-event.entity';
import { Member, MemberStatus } from './entities/member.entity';
import { MemberEmail } from './entities/member-email.entity';
import { contractEndFor } from './utils/calendar-date.util';
import { memberSearchText } from './utils/member-search-text.util';
import { MemberFields } from './utils/parse-members-csv.util';
import { cancellationEffectiveOn, ContractAction, expiresOn, isPastTerm, nextStatus } from './utils/contract-rules.util';

/** Art. 12 details, nickname, sender addresses and the term, as an admin edits them (a CSV row's fields). */
/** A contract's term, Japan dates YYYY-MM-DD. */
type ContractTerm = Pick<Member, 'contractStart' | 'contractEnd'>;

export type MemberDetailsInput = Omit<MemberFields, 'status' | 'contractEnd'> & {
  /** Null: one year from the start. */
  contractEnd: string | null;
};

const IDENTITY_FIELDS = ['company', 'department', 'contactName', 'phone', 'postalCode', 'address'] as const;
const TERM_FIELDS = ['contractStart', 'contractEnd'] as const;

/**
 * The contract lifecycle as the secretariat runs it (terms arts. 8, 12, 14, 15, 23): every change
 * is one transaction that moves the member, keeps a contract event and writes the audit log.
 */
@Injectable()
export class ContractService {
  constructor(private readonly tx: TransactionRunner, private readonly audit: AuditService, private readonly clock: Clock, private readonly events: DomainEvents) {}

  history(memberId: number): Promise<ContractEvent[]> {
    return this.tx.run((em) => em.getRepository(ContractEvent).find({ where: { memberId }, order: { id: 'DESC' } }));
  }

  /** A member's cancellation noticed but not yet in effect. */
  pendingCancellation(memberId: number, em?: EntityManager): Promise<ContractEvent | null> {
    const find = (m: EntityManager) => m.getRepository(ContractEvent).findOne({ where: { memberId, kind: 'cancel', appliedAt: IsNull() } });
    return em ? find(em) : this.tx.run(find);
  }

  /**
   * The noticed cancellation, not yet in effect, of the member who owns `address` (as
   * MemberRepository.findByAddress matches it): intake reads it beside the member, in one round trip.
   */
  pendingCancellationFor(address: string, em: EntityManager): Promise<ContractEvent | null> {
    return em.getRepository(ContractEvent).createQueryBuilder('c')
      .innerJoin(MemberEmail, 'e', 'e.member_id = c.member_id')
      .where('e.address = :address', { address: address.trim().toLowerCase() })
      .andWhere('c.kind = :kind AND c.appliedAt IS NULL', { kind: 'cancel' })
      .getOne();
  }

  /** Art. 12 changes and the term; records which fields changed (not their values) in the audit log. */
  updateDetails(memberId: number, input: MemberDetailsInput, actor: AuditActor): Promise<Member> {
    return this.tx.run(async (em) => {
      const member = await this.load(em, memberId);
      const next = { ...input, contractEnd: input.contractEnd ?? contractEndFor(input.contractStart) };
      if (next.contractEnd < next.contractStart) throw new ValidationError('contract_end', '契約終了日は開始日より後にしてください。');
      const owners = await em.getRepository(MemberEmail).find({ where: { address: In(next.emails), memberId: Not(memberId) }, relations: { member: true } });
      if (owners.length) throw new ValidationError('emails', `${owners[0].address} は別の会員（${owners[0].member.clubId}）が使っています。`);

      const oldEmails = member.emails.map((e) => e.address).sort();
      const changed: string[] = [...IDENTITY_FIELDS, 'nickname' as const].filter((f) => (member[f] ?? null) !== (next[f] ?? null));
      if (oldEmails.join(';') !== [...next.emails].sort().join(';')) changed.push('emails');
      const termChanged = TERM_FIELDS.some((f) => member[f] !== next[f]);
      const before = { nickname: member.nickname, contractStart: member.contractStart, contractEnd: member.contractEnd };
      const now = this.clock.now();

      Object.assign(member, {
        nickname: next.nickname, company: next.company, department: next.department, contactName: next.contactName, phone: next.phone,
        postalCode: next.postalCode, address: next.address, contractStart: next.contractStart, contractEnd: next.contractEnd, updatedAt: now,
        identitySearch: memberSearchText(next, next.emails),
      });
      await em.getRepository(Member).save(member, { reload: false });
      if (changed.includes('emails')) {
        await em.getRepository(MemberEmail).delete({ memberId });
        await em.getRepository(MemberEmail).insert(next.emails.map((address) => ({ memberId, address })));
      }
      // Texts masked with the old details (the consult search index) are rebuilt.
      if (changed.some((f) => f !== 'nickname')) await this.events.emit(em, 'member.identity_changed', { memberId });
      const target = { type: 'member', id: memberId, label: member.clubId };
      if (changed.length) {
        await this.audit.record(em, {
          actor, action: 'member.updated', target,
          details: { fields: changed, ...(changed.includes('nickname') ? { nickname: { from: before.nickname, to: next.nickname } } : {}) },
        });
      }
      if (termChanged) await this.recordTermChange(em, member, before, next, actor, now);
      return member;
    });
  }

  /** Art. 23: the secretariat suspends the service (mail is then held). */
  suspend(memberId: number, reason: string, actor: AuditActor): Promise<Member> {
    return this.change(memberId, 'suspend', reason, actor);
  }

  /** The end of a suspension, or a new term after expiry (the term must have been extended first). */
  resume(memberId: number, reason: string, actor: AuditActor): Promise<Member> {
    return this.change(memberId, 'resume', reason, actor);
  }

  /** Art. 15: the secretariat cancels at once. A member's pending cancellation is settled by it. */
  cancelNow(memberId: number, reason: string, actor: AuditActor): Promise<Member> {
    return this.change(memberId, 'cancel', reason, actor);
  }

  /**
   * Art. 14: a member's notice of cancellation. It takes effect on the requested date, but no
   * earlier than 30 days after the notice reached the secretariat; the scheduler applies it then
   * (at once when that day has already come).
   */
  noticeCancellation(memberId: number, notice: { noticeOn: string; requestedOn: string | null; reason: string }, actor: AuditActor): Promise<{ effectiveOn: string; movedLater: boolean }> {
    return this.tx.run(async (em) => {
      const member = await this.load(em, memberId);
      const now = this.clock.now();
      const today = jstDateOf(now);
      if (member.status === 'cancelled') throw new ValidationError('notice_on', 'この契約はすでに解約されています。');
      if (notice.noticeOn > today) throw new ValidationError('notice_on', '申出日に未来の日付は指定できません。');
      if (await this.pendingCancellation(memberId, em)) throw new ValidationError('notice_on', 'すでに解約の申出を受け付けています。');
      const result = cancellationEffectiveOn(notice.noticeOn, notice.requestedOn);
      const event = await em.getRepository(ContractEvent).save(em.getRepository(ContractEvent).create({
        memberId, kind: 'cancel', fromStatus: member.status, toStatus: 'cancelled', effectiveOn: result.effectiveOn, noticeOn: notice.noticeOn,
        requestedOn: notice.requestedOn, reason: notice.reason, actorId: actor.id, appliedAt: null, createdAt: now,
      }));
      await this.audit.record(em, {
        actor, action: 'contract.cancellation_noticed', target: { type: 'member', id: memberId, label: member.clubId },
        details: { noticeOn: notice.noticeOn, requestedOn: notice.requestedOn, effectiveOn: result.effectiveOn, reason: notice.reason },
      });
      if (result.effectiveOn <= today) await this.applyCancellation(em, event, null, now);
      return result;
    });
  }

  /**
   * Applies a noticed cancellation whose day has come (the scheduler, a notice given late, or the
   * member's mail arriving on or after that day before the sweep has run).
   * Idempotent: the event is claimed by a conditional update, so two runs cannot both apply it.
   */
  async applyCancellation(em: EntityManager, event: ContractEvent, actor: AuditActor | null, now: Date): Promise<boolean> {
    const claimed = await em.getRepository(ContractEvent).update({ id: event.id, appliedAt: IsNull() }, { appliedAt: now });
    if (!claimed.affected) return false;
    const member = await this.load(em, event.memberId);
    if (member.status === 'cancelled') return false;
    const from = member.status;
    await em.getRepository(Member).update({ id: member.id }, { status: 'cancelled', updatedAt: now });
    await em.getRepository(ContractEvent).update({ id: event.id }, { fromStatus: from });
    await this.audit.record(em, {
      actor, action: 'contract.cancelled', target: { type: 'member', id: member.id, label: member.clubId },
      details: { from, effectiveOn: event.effectiveOn, noticeOn: event.noticeOn, reason: event.reason },
    });
    return true;
  }

  /**
   * Expiry of a term (the scheduler): only from active or suspended, only once the term is over,
   * by a conditional update so that a repeated run changes nothing.
   */
  async expire(em: EntityManager, member: Member, today: string, now: Date): Promise<boolean> {
    const moved = await em.createQueryBuilder().update(Member).set({ status: 'expired', updatedAt: now })
      .where('id = :id AND status IN (:...from) AND contract_end < :today', { id: member.id, from: ['active', 'suspended'], today })
      .execute();
    if (!moved.affected) return false;
    const effectiveOn = expiresOn(member.contractEnd);
    await this.addEvent(em, member, 'expire', 'expired', effectiveOn, '契約期間の満了（自動更新なし）', null, now);
    await this.audit.record(em, {
      actor: null, action: 'contract.expired', target: { type: 'member', id: member.id, label: member.clubId },
      details: { from: member.status, contractEnd: member.contractEnd, effectiveOn },
    });
    return true;
  }

  private change(memberId: number, action: Exclude<ContractAction, 'expire'>, reason: string, actor: AuditActor): Promise<Member> {
    return this.tx.run(async (em) => {
      const member = await this.load(em, memberId);
      const now = this.clock.now();
      const today = jstDateOf(now);
      const result = nextStatus(member.status, action, isPastTerm(member.contractEnd, today));
      if ('error' in result) throw new ValidationError('action', result.error);
      await this.recordChange(em, member, action, result.to, reason, actor, now);
      member.status = result.to;
      return member;
    });
  }

  /**
   * Moves a member from its current status to `to` as `action` (already allowed by nextStatus),
   * inside the caller's transaction: the contract history entry, the status and the audit entry.
   * The console's changes and members:import both record through here.
   */
  async recordChange(em: EntityManager, member: Pick<Member, 'id' | 'clubId' | 'status'>, action: ContractAction, to: MemberStatus, reason: string, actor: AuditActor | null, now: Date): Promise<void> {
    const today = jstDateOf(now);
    if (action === 'cancel') {
      // A noticed cancellation is settled by the immediate one.
      await em.getRepository(ContractEvent).update({ memberId: member.id, kind: 'cancel', appliedAt: IsNull() }, { appliedAt: now });
    }
    await this.addEvent(em, member, action, to, today, reason, actor, now);
    await em.getRepository(Member).update({ id: member.id }, { status: to, updatedAt: now });
    await this.audit.record(em, {
      actor, action: ACTIONS[action], target: { type: 'member', id: member.id, label: member.clubId },
      details: { from: member.status, to, effectiveOn: today, reason },
    });
  }

  /**
   * A changed term into the contract history and the audit log, inside the caller's transaction.
   * The console's edits and members:import both record through here.
   */
  async recordTermChange(em: EntityManager, member: Pick<Member, 'id' | 'clubId' | 'status'>, from: ContractTerm, to: ContractTerm, actor: AuditActor | null, now: Date, via?: string): Promise<void> {
    const change = `契約期間を ${from.contractStart}〜${from.contractEnd} から ${to.contractStart}〜${to.contractEnd} に変更`;
    await this.addEvent(em, member, 'term', null, jstDateOf(now), via ? `${change}（${via}）` : change, actor, now);
    await this.audit.record(em, {
      actor, action: 'contract.term_changed', target: { type: 'member', id: member.id, label: member.clubId },
      details: { from: { start: from.contractStart, end: from.contractEnd }, to: { start: to.contractStart, end: to.contractEnd }, ...(via ? { via } : {}) },
    });
  }

  private async addEvent(em: EntityManager, member: Pick<Member, 'id' | 'status'>, kind: ContractEventKind, to: MemberStatus | null, effectiveOn: string, reason: string, actor: AuditActor | null, now: Date) {
    await em.getRepository(ContractEvent).insert({
      memberId: member.id, kind, fromStatus: to ? member.status : null, toStatus: to, effectiveOn, noticeOn: null, requestedOn: null, reason,
      actorId: actor?.id ?? null, appliedAt: now, createdAt: now,
    });
  }

  private async load(em: EntityManager, id: number): Promise<Member> {
    const member = await em.getRepository(Member).findOne({ where: { id }, relations: { emails: true } });
    if (!member) throw new NotFoundError('member', id);
    return member;
  }
}

const ACTIONS: Record<ContractAction, string> = {
  suspend: 'contract.suspended', resume: 'contract.resumed', cancel: 'contract.cancelled', expire: 'contract.expired',
};
