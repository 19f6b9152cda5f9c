import { Column, Entity, ManyToOne, OneToMany, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { InstantColumn } from '@kkd/core';
import { Member } from '@kkd/membership';
import { StaffUser } from '@kkd/staff';
import { Category, ConsultStatus, Priority, SlaState, ValueSource } from '../consult-codes';
import { Message } from './message.entity';

/** A 駆け込み寺 consult: the thread opened by a member's first mail. */
@Entity('consults')
export class Consult {
  @PrimaryGeneratedColumn() id: number;
  /** The public, sequential number (KKD#n). */
  @Column({ type: 'integer' }) number: number;
  @Column({ type: 'integer' }) memberId: number;
  @Column({ type: 'text' }) subject: string;
  @Column({ type: 'varchar' }) status: ConsultStatus;
  @Column({ type: 'varchar' }) category: Category;
  @Column({ type: 'varchar' }) priority: Priority;
  /** Who set the category / priority last: triage or a staff member (an override is kept). */
  // The database default ('triage') is in the migration; stated here, TypeORM would read both
  // columns back after every insert (a statement more per consult).
  @Column({ type: 'varchar' }) categorySource: ValueSource;
  @Column({ type: 'varchar' }) prioritySource: ValueSource;
  /** Why triage chose them: the matched terms (JSON of TriageMatch[]); null before triage. */
  @Column({ type: 'text', nullable: true }) triageMatches: string | null;
  @Column({ type: 'integer', nullable: true }) assigneeId: number | null;
  @InstantColumn({ nullable: true }) assignedAt: Date | null;
  /** Set when this consult was merged into another as a duplicate (its messages moved there). */
  @Column({ type: 'integer', nullable: true }) mergedIntoId: number | null;
  /** The member's address that wrote to this consult last (a follow-up updates it); mail to the member goes there. Never shown to experts. */
  @Column({ type: 'varchar' }) replyAddress: string;
  @InstantColumn() receivedAt: Date;
  /** Due time of the first member message: the contractual first response. */
  @InstantColumn({ nullable: true }) firstDueAt: Date | null;
  /** Due time of the oldest member message still waiting for an answer; null when none waits. */
  @InstantColumn({ nullable: true }) dueAt: Date | null;
  @InstantColumn({ nullable: true }) firstResponseAt: Date | null;
  /** The SLA state as of the last change or sweep (the queue filters and sorts by it). */
  @Column({ type: 'varchar' }) slaState: SlaState;
  @InstantColumn() lastMessageAt: Date;
  @InstantColumn() createdAt: Date;
  @InstantColumn() updatedAt: Date;

  @ManyToOne(() => Member) member: Relation<Member>;
  @ManyToOne(() => StaffUser, { nullable: true, onDelete: 'SET NULL' }) assignee: Relation<StaffUser> | null;
  @OneToMany(() => Message, (m) => m.consult) messages: Relation<Message>[];
}
