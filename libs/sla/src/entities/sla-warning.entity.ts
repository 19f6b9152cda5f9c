import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '@kkd/core';

export type SlaWarningKind = 'at_risk' | 'breached';

/** A warning sent for one due time of a consult; unique, so each is sent once. */
@Entity('sla_warnings')
export class SlaWarning {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'integer' }) consultId: number;
  @Column({ type: 'varchar' }) kind: SlaWarningKind;
  @InstantColumn() dueAt: Date;
  @InstantColumn() createdAt: Date;
}
