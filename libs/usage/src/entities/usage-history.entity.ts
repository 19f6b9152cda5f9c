import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '@kkd/core';

export type UsageHistoryKind = 'decision' | 'close' | 'reopen' | 'settings';

/** Append-only record of every decision, close, reopen and settings change: who, when, what, why. */
@Entity('usage_history')
export class UsageHistory {
  @PrimaryGeneratedColumn() id: number;
  /** The month concerned; null for a settings change. */
  @Column({ type: 'varchar', nullable: true }) month: string | null;
  @Column({ type: 'varchar' }) kind: UsageHistoryKind;
  @Column({ type: 'integer', nullable: true }) consultId: number | null;
  @Column({ type: 'integer', nullable: true }) consultNumber: number | null;
  @Column({ type: 'varchar', nullable: true }) decision: string | null;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ type: 'text' }) summary: string;
  /** Null when the scheduler did it. */
  @Column({ type: 'integer', nullable: true }) actorId: number | null;
  @InstantColumn() occurredAt: Date;
}
