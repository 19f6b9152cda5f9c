import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '@kkd/core';

/**
 * What was done or seen. An open union: later issues add their own actions (logins, role changes)
 * without touching this lib.
 */
export type AuditAction =
  | 'member.created'
  | 'member.updated'
  | 'member.identity_viewed'
  | 'contract.suspended'
  | 'contract.resumed'
  | 'contract.cancellation_noticed'
  | 'contract.cancelled'
  | 'contract.expired'
  | 'held_mail.list_viewed'
  | 'held_mail.raw_viewed'
  | 'consult.raw_viewed'
  | 'staff.created'
  | 'staff.login'
  | 'staff.login_failed'
  | 'staff.login_throttled'
  | 'staff.logout'
  | 'staff.password_changed'
  | 'staff.role_changed'
  | 'staff.deactivated'
  | 'staff.reactivated'
  | (string & {});

/** One line of the audit log: who (staff, or null for the system) did what to which target, when. */
@Entity('audit_log')
export class AuditEntry {
  @PrimaryGeneratedColumn() id: number;
  @InstantColumn() at: Date;
  @Column({ type: 'integer', nullable: true }) actorId: number | null;
  @Column({ type: 'varchar', nullable: true }) actorEmail: string | null;
  @Column({ type: 'varchar' }) action: AuditAction;
  /** e.g. 'member'; with targetId the row's id and targetLabel what people call it (a club ID). */
  @Column({ type: 'varchar' }) targetType: string;
  @Column({ type: 'varchar', nullable: true }) targetId: string | null;
  @Column({ type: 'varchar', nullable: true }) targetLabel: string | null;
  /** JSON object; never a member's identity values, only which fields (STYLE.md 11). */
  @Column({ type: 'text', nullable: true }) details: string | null;
}
