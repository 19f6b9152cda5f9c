import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Category, Priority } from '@kkd/consults';
import { InstantColumn } from '@kkd/core';

/** A triage term: matched in a new consult's subject and body, it adds its weight to a category and/or a priority. */
@Entity('triage_rules')
export class TriageRuleRow {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar' }) term: string;
  @Column({ type: 'varchar', nullable: true }) category: Category | null;
  @Column({ type: 'varchar', nullable: true }) priority: Priority | null;
  @Column({ type: 'integer' }) weight: number;
  @InstantColumn() createdAt: Date;
  @InstantColumn() updatedAt: Date;
}
