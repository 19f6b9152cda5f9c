import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '@kkd/core';
import { MemberStatus } from './member.entity';

export type ContractEventKind = 'suspend' | 'resume' | 'cancel' | 'expire' | 'term';

/**
 * One change of a contract, kept as history: what, effective on which Japan date, why and by whom.
 * A member's cancellation with a notice period is recorded when noticed and applied later by the
 * scheduler: `appliedAt` stays null until the member's status has moved.
 */
@Entity('contract_events')
export class ContractEvent {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'integer' }) memberId: number;
  @Column({ type: 'varchar' }) kind: ContractEventKind;
  @Column({ type: 'varchar', nullable: true }) fromStatus: MemberStatus | null;
  @Column({ type: 'varchar', nullable: true }) toStatus: MemberStatus | null;
  /** YYYY-MM-DD (Japan). */
  @Column({ type: 'varchar' }) effectiveOn: string;
  /** A member's cancellation: the date the notice reached the secretariat. */
  @Column({ type: 'varchar', nullable: true }) noticeOn: string | null;
  /** A member's cancellation: the date they asked for. */
  @Column({ type: 'varchar', nullable: true }) requestedOn: string | null;
  @Column({ type: 'text' }) reason: string;
  /** Null: the scheduler. */
  @Column({ type: 'integer', nullable: true }) actorId: number | null;
  @InstantColumn({ nullable: true }) appliedAt: Date | null;
  @InstantColumn() createdAt: Date;
}
