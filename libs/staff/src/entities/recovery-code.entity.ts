import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '@kkd/core';

/** A one-time recovery code for a staff account's second factor; only its SHA-256 is kept. */
@Entity('staff_recovery_codes')
export class RecoveryCode {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'integer' }) userId: number;
  @Column({ type: 'varchar' }) codeHash: string;
  @InstantColumn({ nullable: true }) usedAt: Date | null;
  @InstantColumn() createdAt: Date;
}
