import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '@kkd/core';

/** A one-time sign-in link mailed to a member's registered address; only its hash is stored. */
@Entity('member_login_tokens')
export class MemberLoginToken {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'integer' }) memberId: number;
  @Column({ type: 'varchar' }) tokenHash: string;
  @Column({ type: 'varchar' }) address: string;
  @InstantColumn() expiresAt: Date;
  @InstantColumn({ nullable: true }) usedAt: Date | null;
  @InstantColumn() createdAt: Date;
}
