import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '@kkd/core';

export const USAGE_DECISIONS = ['billable', 'waived'] as const;
export type UsageDecisionKind = (typeof USAGE_DECISIONS)[number];

/** A manager's current decision on a billing candidate: billable, or waived with a reason. */
@Entity('usage_decisions')
export class UsageDecision {
  @PrimaryColumn({ type: 'integer' }) consultId: number;
  /** The Japan month the consult counted in when decided (YYYY-MM). */
  @Column({ type: 'varchar' }) month: string;
  @Column({ type: 'varchar' }) decision: UsageDecisionKind;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ type: 'integer', nullable: true }) decidedBy: number | null;
  @InstantColumn() decidedAt: Date;
}
