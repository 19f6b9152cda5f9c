import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '@kkd/core';
import type { Category } from '@kkd/consults';

/** A published version of an entry, kept for good: the text as members read it then. */
@Entity('faq_versions')
export class FaqVersion {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'integer' }) entryId: number;
  @Column({ type: 'integer' }) version: number;
  @Column({ type: 'varchar' }) category: Category;
  @Column({ type: 'text' }) title: string;
  @Column({ type: 'text' }) question: string;
  @Column({ type: 'text' }) answer: string;
  @Column({ type: 'integer', nullable: true }) publishedBy: number | null;
  @InstantColumn() publishedAt: Date;
}
