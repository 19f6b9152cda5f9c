import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditActor, AuditService } from '@kkd/audit';
import { ConsultRepository } from '@kkd/consults';
import { Clock, NotFoundError, TransactionRunner, ValidationError } from '@kkd/core';
import { MemberRepository } from '@kkd/membership';
import { HeldMail, HeldStatus } from './entities/held-mail.entity';
import { HeldMailRepository } from './held-mail.repository';
import { IntakeService } from './intake.service';
import { MailStore } from './mail-store';

/** The longest discard reason kept (a note, not a document). */
export const DISCARD_REASON_MAX_LENGTH = 500;

/** A held mail as the list shows it: with the number of the consult it became, if attached. */
export type HeldMailListItem = HeldMail & { consultNumber: number | null };

/**
 * What the secretariat does with held mail: attach it to a member (it becomes a consult as if
 * received at its original time) or discard it. Either way the mail and its raw source are kept,
 * and who did it is in the audit log, written in the same transaction as the change.
 */
@Injectable()
export class HeldMailService {
  constructor(
    private readonly held: HeldMailRepository,
    private readonly intake: IntakeService,
    private readonly members: MemberRepository,
    private readonly consults: ConsultRepository,
    private readonly store: MailStore,
    private readonly audit: AuditService,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** One page of held mail in one state. */
  async list(status: HeldStatus, page: number, pageSize: number): Promise<{ items: HeldMailListItem[]; total: number }> {
    const [items, total] = await this.held.list(page, pageSize, status);
    const consultIds = items.flatMap((m) => (m.consultId === null ? [] : [m.consultId]));
    const numbers = new Map((await this.consults.byIds(consultIds)).map((c) => [c.id, c.number]));
    return { items: items.map((m) => Object.assign(m, { consultNumber: m.consultId === null ? null : numbers.get(m.consultId) ?? null })), total };
  }

  /** Returns the consult number the mail went to. */
  async attach(heldId: number, clubId: string, actor: AuditActor): Promise<number> {
    const held = await this.get(heldId);
    const { input } = await this.intake.prepare(await this.store.read(held.rawPath), held.fromAddress, held.receivedAt);
    input.rawPath = held.rawPath;
    return this.tx.run(async (em) => {
      await this.stillHeld(em, heldId);
      const [member] = await this.members.findByClubIds([clubId], em);
      if (!member) throw new ValidationError('clubId', `会員 ${clubId.trim()} が見つかりません。`);
      const outcome = await this.intake.deliver(em, member, input);
      if (!('consultNumber' in outcome)) throw new ValidationError('clubId', 'このメールは相談にできません。');
      const consult = await this.consults.findByNumber(outcome.consultNumber, em);
      await em.getRepository(HeldMail).update(heldId, { status: 'attached', consultId: consult!.id, handledBy: actor.id, handledAt: this.clock.now() });
      // Named by the member's club ID (what the audit page filters by); the sender is on the held mail.
      await this.audit.record(em, {
        actor, action: 'held_mail.attached', target: { type: 'held_mail', id: heldId, label: member.clubId },
        details: { consultNumber: outcome.consultNumber, heldFor: held.reason },
      });
      return outcome.consultNumber;
    });
  }

  /** `reason` is optional; kept with the mail and in the audit log. */
  async discard(heldId: number, actor: AuditActor, reason?: string | null): Promise<void> {
    const note = reason?.trim() || null;
    if (note && note.length > DISCARD_REASON_MAX_LENGTH) throw new ValidationError('reason', `破棄の理由は${DISCARD_REASON_MAX_LENGTH}文字以内で入力してください。`);
    const held = await this.get(heldId);
    await this.tx.run(async (em) => {
      await this.stillHeld(em, heldId);
      await em.getRepository(HeldMail).update(heldId, { status: 'discarded', discardReason: note, handledBy: actor.id, handledAt: this.clock.now() });
      // No member to name it by: the sender's address (only managers and admins read either list).
      await this.audit.record(em, {
        actor, action: 'held_mail.discarded', target: { type: 'held_mail', id: heldId, label: held.fromAddress },
        details: { heldFor: held.reason, ...(note ? { reason: note } : {}) },
      });
    });
  }

  /** The raw source as received (managers may download it). */
  async raw(heldId: number): Promise<Buffer> {
    return this.store.read((await this.get(heldId)).rawPath);
  }

  /** The held mail, or NotFoundError. */
  async get(heldId: number): Promise<HeldMail> {
    const held = await this.held.findById(heldId);
    if (!held) throw new NotFoundError('held mail', heldId);
    return held;
  }

  /** Checked inside the transaction that changes it: two managers cannot both handle one mail. */
  private async stillHeld(em: EntityManager, heldId: number): Promise<void> {
    const held = await em.getRepository(HeldMail).findOne({ where: { id: heldId } });
    if (held?.status !== 'held') throw new ValidationError('status', 'このメールはすでに処理されています。');
  }
}
