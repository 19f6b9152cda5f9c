import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Category } from '@kkd/consults';
import { InstantColumn } from '@kkd/core';

/** A reply template (定型文) managers keep for a category, or for every category (category null). */
@Entity('canned_replies')
export class CannedReply {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar', nullable: true }) category: Category | null;
  @Column({ type: 'varchar' }) title: string;
  /** The text with placeholders such as {ニックネーム}, filled when an expert inserts it. */
  @Column({ type: 'text' }) body: string;
  /** Replies sent that started from this template. */
  @Column({ type: 'integer' }) usageCount: number;
  @InstantColumn({ nullable: true }) lastUsedAt: Date | null;
  @InstantColumn() createdAt: Date;
  @InstantColumn() updatedAt: Date;
}
