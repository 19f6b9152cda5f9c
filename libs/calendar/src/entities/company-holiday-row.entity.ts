import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '@kkd/core';

/** A company closing managers keep: YYYY-MM-DD dates, or MM-DD repeating every year when `yearly`. */
@Entity('company_holidays')
export class CompanyHolidayRow {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar' }) startDate: string;
  @Column({ type: 'varchar' }) endDate: string;
  @Column({ type: 'varchar' }) reason: string;
  @Column({ type: 'boolean' }) yearly: boolean;
  @InstantColumn() createdAt: Date;
}
