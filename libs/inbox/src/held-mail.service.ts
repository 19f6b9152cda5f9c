import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ConsultRepository } from '@kkd/consults';
import { Clock, NotFoundError, TransactionRunner, ValidationError } from '@kkd/core';
import { MemberRepository } from '@kkd/membership';
import { HeldMail } from './entities/held-mail.entity';
import { HeldMailRepository } from './held-mail.repository';
import { IntakeService } from './intake.service';
import { MailStore } from './mail-store';

/**
 * What the secretariat does with held mail: attach it to a member (it becomes a consult as if
 * received at its original time) or discard it. Either way the mail and its raw source are kept.
 */
@Injectable()
export class HeldMailService {
  constructor(
    private readonly held: HeldMailRepository,
    private readonly intake: IntakeService,
    private readonly members: MemberRepository,
    private readonly consults: ConsultRepository,
    private readonly store: MailStore,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** Returns the consult number the mail went to. */
  async attach(heldId: number, clubId: string, staffId: number): Promise<number> {
    const held = await this.get(heldId);
    const { input } = await this.intake.prepare(await this.store.read(held.rawPath), held.fromAddress, held.receivedAt);
    input.rawPath = held.rawPath;
    return this.tx.run(async (em) => {
      await this.stillHeld(em, heldId);
      const [member] = await this.members.findByClubIds([clubId.trim()], em);
      if (!member) throw new ValidationError('clubId', `会員 ${clubId} が見つかりません。`);
      const outcome = await this.intake.deliver(em, member, input);
      if (!('consultNumber' in outcome)) throw new ValidationError('clubId', 'このメールは相談にできません。');
      const consult = await this.consults.findByNumber(outcome.consultNumber, em);
      await em.getRepository(HeldMail).update(heldId, { status: 'attached', consultId: consult!.id, handledBy: staffId, handledAt: this.clock.now() });
      return outcome.consultNumber;
    });
  }

  async discard(heldId: number, staffId: number): Promise<void> {
    await this.get(heldId);
    await this.tx.run(async (em) => {
      await this.stillHeld(em, heldId);
      await em.getRepository(HeldMail).update(heldId, { status: 'discarded', handledBy: staffId, handledAt: this.clock.now() });
    });
  }

  /** The raw source as received (managers may download it). */
  async raw(heldId: number): Promise<Buffer> {
    return this.store.read((await this.get(heldId)).rawPath);
  }

  private async get(heldId: number): Promise<HeldMail> {
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
