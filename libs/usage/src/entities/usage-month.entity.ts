import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '@kkd/core';

export type UsageMonthStatus = 'closed' | 'reopened';

/**
 * A month that was closed at least once. The threshold, unit price and tax rate in force at the
 * first close stay with the month, also while it is reopened, so later settings changes never alter it.
 */
@Entity('usage_months')
export class UsageMonth {
  @PrimaryColumn({ type: 'varchar' }) month: string;
  @Column({ type: 'varchar' }) status: UsageMonthStatus;
  @Column({ type: 'integer' }) threshold: number;
  @Column({ type: 'integer' }) unitPriceYen: number;
  @Column({ type: 'integer' }) taxRateBp: number;
  @InstantColumn() closedAt: Date;
  /** Null when the scheduler closed it. */
  @Column({ type: 'integer', nullable: true }) closedBy: number | null;
  @InstantColumn({ nullable: true }) reopenedAt: Date | null;
  @Column({ type: 'integer', nullable: true }) reopenedBy: number | null;
  @Column({ type: 'text', nullable: true }) reopenReason: string | null;
}
