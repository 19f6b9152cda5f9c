import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { Clock, DomainEvents, NotFoundError, TransactionRunner, ValidationError } from '@kkd/core';
import { OutboxService } from '@kkd/mail';
import { StaffUser } from '@kkd/staff';
import { ConsultRepository } from './consult.repository';
import { ConsultsService } from './consults.service';
import { MergeRefusedError } from './consults.exception';
import { Consult } from './entities/consult.entity';
import { Message } from './entities/message.entity';
import { statusAfterMemberMail, statusChangeSummary } from './utils/status-transition.util';

/**
 * Merging a duplicate consult into another of the same member: every message moves with its own
 * due and answered times, the mail sent for it follows (so replies to it thread into the target),
 * both timelines say what happened, and the target's SLA facts are recomputed from its messages.
 * The duplicate stays, closed, pointing at the target (it no longer counts as a consult of its month).
 */
@Injectable()
export class ConsultMergeService {
  constructor(
    private readonly repo: ConsultRepository,
    private readonly consults: ConsultsService,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly outbox: OutboxService,
    private readonly events: DomainEvents,
  ) {}

  async merge(sourceNumber: number, targetNumber: number, reason: string, actor: StaffUser): Promise<Consult> {
    const why = reason.trim();
    if (!why) throw new ValidationError('reason', '統合の理由を入力してください。');
    if (sourceNumber === targetNumber) throw new MergeRefusedError('同じ相談には統合できません。');
    await this.tx.run(async (em) => {
      const [source, target] = await Promise.all([this.repo.findByNumber(sourceNumber, em), this.repo.findByNumber(targetNumber, em)]);
      if (!source) throw new NotFoundError('consult', sourceNumber);
      if (!target) throw new NotFoundError('consult', targetNumber);
      // Never let one member's mail land in another member's consult.
      if (source.memberId !== target.memberId) throw new MergeRefusedError('別の会員の相談には統合できません。');
      if (source.mergedIntoId || target.mergedIntoId) throw new MergeRefusedError('既に統合された相談は統合できません。');
      const now = this.clock.now();
      await em.getRepository(Message).update({ consultId: source.id }, { consultId: target.id });
      await this.outbox.moveToConsult(em, source.id, target.id);
      await em.getRepository(Consult).update(source.id, {
        status: 'closed', mergedIntoId: target.id, dueAt: null, slaState: 'met', lastMessageAt: source.lastMessageAt, updatedAt: now,
      });
      await this.recomputeTarget(em, target, actor, now);
      const by = `理由: ${why}・${actor.name}`;
      await this.repo.recordEvent(em, source.id, 'merged', `KKD#${target.number} に統合しました（${by}）。メッセージはすべて KKD#${target.number} に移りました`, actor.id, now);
      await this.repo.recordEvent(em, target.id, 'merged_from', `KKD#${source.number}「${source.subject}」を統合しました（${by}）`, actor.id, now);
      await this.events.emit(em, 'consult.merged', { sourceId: source.id, targetId: target.id });
    });
    return this.consults.get(targetNumber);
  }

  /** The target's first/waiting due times, first response, receipt and status, from the merged thread. */
  private async recomputeTarget(em: EntityManager, target: Consult, actor: StaffUser, now: Date): Promise<void> {
    const inbound = await em.getRepository(Message).find({ where: { consultId: target.id, direction: 'inbound' }, order: { occurredAt: 'ASC', id: 'ASC' } });
    const last = await em.getRepository(Message).findOne({ where: { consultId: target.id }, order: { occurredAt: 'DESC', id: 'DESC' } });
    const first = inbound[0];
    const waiting = inbound.filter((m) => m.dueAt && !m.answeredAt).map((m) => m.dueAt as Date).sort((a, b) => a.getTime() - b.getTime());
    const facts = { firstDueAt: first?.dueAt ?? target.firstDueAt, dueAt: waiting[0] ?? null, firstResponseAt: first ? first.answeredAt : target.firstResponseAt };
    // A member message that waits makes the target wait for us, as a follow-up would.
    const status = waiting.length > 0 ? statusAfterMemberMail(target.status) : target.status;
    await em.getRepository(Consult).update({ id: target.id, mergedIntoId: IsNull() }, {
      ...facts, slaState: this.consults.slaStateOf(facts, now), receivedAt: first?.occurredAt ?? target.receivedAt,
      lastMessageAt: last?.occurredAt ?? target.lastMessageAt, status, updatedAt: now,
    });
    if (status !== target.status) await this.repo.recordEvent(em, target.id, 'status_changed', statusChangeSummary(target.status, status, { staff: actor.name, by: 'merge' }), actor.id, now);
  }
}
