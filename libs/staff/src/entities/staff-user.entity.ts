import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '@kkd/core';

export const STAFF_ROLES = ['expert', 'manager', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

@Entity('staff_users')
export class StaffUser {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar' }) email: string;
  @Column({ type: 'varchar' }) name: string;
  @Column({ type: 'varchar' }) role: StaffRole;
  @Column({ type: 'varchar', nullable: true }) passwordHash: string | null;
  /** Category codes, comma-separated. */
  @Column({ type: 'varchar', default: '' }) skills: string;
  @Column({ type: 'boolean', default: true }) active: boolean;
  /** How many open consults the expert takes at most (automatic assignment stops there). */
  @Column({ type: 'integer', default: 5 }) capacity: number;
  @InstantColumn({ nullable: true }) lastAssignedAt: Date | null;
  /** The assignment counter's value at the last assignment: the round robin's order. */
  @Column({ type: 'integer', default: 0 }) lastAssignmentSeq: number;
  @InstantColumn() createdAt: Date;
}
