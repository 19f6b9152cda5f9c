import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '@kkd/core';

/** A staff member's absence: Japan calendar dates, both inclusive. */
@Entity('staff_absences')
export class StaffAbsence {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'integer' }) userId: number;
  @Column({ type: 'varchar' }) startsOn: string;
  @Column({ type: 'varchar' }) endsOn: string;
  @Column({ type: 'varchar', nullable: true }) note: string | null;
  @InstantColumn() createdAt: Date;
}
