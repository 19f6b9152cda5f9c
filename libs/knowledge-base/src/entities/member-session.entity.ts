import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '@kkd/core';

/** A member signed in to the FAQ pages (cookie secret stored as a hash). */
@Entity('member_sessions')
export class MemberSession {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'integer' }) memberId: number;
  @Column({ type: 'varchar' }) tokenHash: string;
  @Column({ type: 'varchar' }) csrfToken: string;
  @InstantColumn() expiresAt: Date;
  @InstantColumn() createdAt: Date;
}
