import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '@kkd/core';

export const STAFF_ROLES = ['expert', 'manager', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
/** What the console calls each role. */
export const STAFF_ROLE_LABELS: Record<StaffRole, string> = { expert: '専門家', manager: 'マネージャー', admin: '管理者' };

/** Managers and admins read a member's identity; experts (and any role added later) see it masked. */
export const seesIdentity = (user: { role: StaffRole }): boolean => user.role === 'manager' || user.role === 'admin';

/** How an expert hears of new consults in their skills: not at all, a mail per consult, or a daily digest (08:30 JST). */
export const NEW_CONSULT_NOTICES = ['off', 'immediate', 'digest'] as const;
export type NewConsultNotice = (typeof NEW_CONSULT_NOTICES)[number];
export const NEW_CONSULT_NOTICE_LABELS: Record<NewConsultNotice, string> = {
  off: '通知しない', immediate: '新規相談ごとにすぐ通知', digest: '毎朝 8:30 にまとめて通知',
};

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
  /** New-consult notice by mail (consults of the expert's skills). */
  @Column({ type: 'varchar', default: 'off' }) newConsultNotice: NewConsultNotice;
  /** TOTP (RFC 6238) secret, base32; never read unless asked for. Set at enrolment, confirmed by totpEnabledAt. */
  @Column({ type: 'varchar', nullable: true, select: false }) totpSecret?: string | null;
  @InstantColumn({ nullable: true }) totpEnabledAt: Date | null;
  /** The last time step a code was accepted for: a code works once. */
  @Column({ type: 'bigint', nullable: true, select: false }) totpLastStep?: string | number | null;
  @InstantColumn() createdAt: Date;
}
