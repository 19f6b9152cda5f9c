import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '@kkd/core';

/** A reminder sent to the secretariat before a term's end; unique per (member, end, days), so each is sent once. */
@Entity('contract_reminders')
export class ContractReminder {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'integer' }) memberId: number;
  @Column({ type: 'varchar' }) contractEnd: string;
  @Column({ type: 'integer' }) daysBefore: number;
  @InstantColumn() createdAt: Date;
}
