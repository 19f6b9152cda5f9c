import { Column, Entity, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import { InstantColumn } from '@kkd/core';
import { StaffUser } from './staff-user.entity';

/** A console sign-in, kept in the database so that any server instance can serve it. */
@Entity('sessions')
export class Session {
  /** SHA-256 of the cookie value; the cookie itself is never stored. */
  @PrimaryColumn({ type: 'varchar' }) id: string;
  @Column({ type: 'integer' }) userId: number;
  @Column({ type: 'varchar' }) csrfToken: string;
  @InstantColumn() expiresAt: Date;
  @InstantColumn() createdAt: Date;
  /** Password checked, TOTP code not yet: the session opens nothing but the code page. */
  @Column({ type: 'boolean', default: false }) awaitingSecondFactor: boolean;
  @ManyToOne(() => StaffUser, { onDelete: 'CASCADE' }) user: Relation<StaffUser>;
}
