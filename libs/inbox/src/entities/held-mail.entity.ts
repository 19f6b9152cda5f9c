import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '@kkd/core';

export type HoldReason =
  | 'unknown_sender' | 'no_sender' | 'contract_not_started' | 'contract_suspended' | 'contract_cancelled' | 'contract_expired'
  | 'bounce' | 'auto_reply' | 'bulk';
export const HELD_STATUSES = ['held', 'attached', 'discarded'] as const;
export type HeldStatus = (typeof HELD_STATUSES)[number];

/** Mail that opened no consult, kept for the secretariat (never deleted automatically). */
@Entity('held_mails')
export class HeldMail {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar', nullable: true }) fromAddress: string | null;
  @Column({ type: 'text' }) subject: string;
  @Column({ type: 'varchar' }) reason: HoldReason;
  @Column({ type: 'varchar' }) rawPath: string;
  @Column({ type: 'text', nullable: true }) messageIdHeader: string | null;
  @Column({ type: 'varchar' }) status: HeldStatus;
  @InstantColumn() receivedAt: Date;
  @InstantColumn() createdAt: Date;
  /** The consult it became when a staff member attached it to a member. */
  @Column({ type: 'integer', nullable: true }) consultId: number | null;
  /** The staff member who attached or discarded it, and when. */
  @Column({ type: 'integer', nullable: true }) handledBy: number | null;
  @InstantColumn({ nullable: true }) handledAt: Date | null;
  /** Why it was discarded, as the staff member wrote it (optional). */
  @Column({ type: 'text', nullable: true }) discardReason: string | null;
}
