import { Column, Entity, OneToMany, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { InstantColumn } from '@kkd/core';
import { MemberEmail } from './member-email.entity';

export const MEMBER_STATUSES = ['active', 'suspended', 'cancelled', 'expired'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** A member organisation: one account per contract (terms art. 11). */
@Entity('members')
export class Member {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar' }) clubId: string;
  @Column({ type: 'varchar' }) nickname: string;
  // Art. 12 contact details: shown only to managers and admins.
  @Column({ type: 'varchar' }) company: string;
  @Column({ type: 'varchar', nullable: true }) department: string | null;
  @Column({ type: 'varchar', nullable: true }) contactName: string | null;
  @Column({ type: 'varchar', nullable: true }) phone: string | null;
  @Column({ type: 'varchar', nullable: true }) postalCode: string | null;
  @Column({ type: 'text', nullable: true }) address: string | null;
  /** Company, department, contact name and addresses folded for identity search (memberSearchText); written with them. */
  @Column({ type: 'text', default: '' }) identitySearch: string;
  /** YYYY-MM-DD (a calendar date, not an instant). */
  @Column({ type: 'varchar' }) contractStart: string;
  @Column({ type: 'varchar' }) contractEnd: string;
  @Column({ type: 'varchar' }) status: MemberStatus;
  @InstantColumn() createdAt: Date;
  @InstantColumn() updatedAt: Date;

  @OneToMany(() => MemberEmail, (e) => e.member, { cascade: true })
  emails: Relation<MemberEmail>[];
}
