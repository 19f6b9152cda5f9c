import { Column, Entity, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { InstantColumn } from '@kkd/core';
import { StaffUser } from '@kkd/staff';
import { ConsultEventKind } from '../consult-codes';

/** One entry of a consult's timeline: triage, assignment and merge decisions with their reasons. */
@Entity('consult_events')
export class ConsultEvent {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'integer' }) consultId: number;
  @Column({ type: 'varchar' }) kind: ConsultEventKind;
  /** The staff member who acted; null for the system (triage, automatic assignment). */
  @Column({ type: 'integer', nullable: true }) actorId: number | null;
  /** What happened and why, in Japanese as shown on the timeline. */
  @Column({ type: 'text' }) summary: string;
  @InstantColumn() occurredAt: Date;

  @ManyToOne(() => StaffUser, { nullable: true, onDelete: 'SET NULL' }) actor: Relation<StaffUser> | null;
}
