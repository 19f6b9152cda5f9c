import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '@kkd/core';

/** A consult counted in a closed month, frozen as it stood at the close. */
@Entity('usage_closed_consults')
export class UsageClosedConsult {
  @PrimaryColumn({ type: 'varchar' }) month: string;
  @PrimaryColumn({ type: 'integer' }) consultId: number;
  @Column({ type: 'integer' }) consultNumber: number;
  @Column({ type: 'integer' }) memberId: number;
  @Column({ type: 'varchar' }) clubId: string;
  @Column({ type: 'varchar' }) nickname: string;
  @InstantColumn() receivedAt: Date;
  @Column({ type: 'integer' }) ordinal: number;
  @Column({ type: 'boolean' }) candidate: boolean;
  @Column({ type: 'varchar', nullable: true }) decision: string | null;
  @Column({ type: 'text', nullable: true }) reason: string | null;
}
