import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '@kkd/core';
import type { Category } from '@kkd/consults';

export const FAQ_STATUSES = ['draft', 'review', 'published', 'archived'] as const;
export type FaqStatus = (typeof FAQ_STATUSES)[number];
export const FAQ_STATUS_LABELS: Record<FaqStatus, string> = { draft: '下書き', review: 'レビュー待ち', published: '公開中', archived: 'アーカイブ' };

/**
 * An FAQ entry: the working copy staff edit, and which published version members see. Editing a
 * published entry changes the working copy only (status back to draft); members keep reading the
 * live version until a manager publishes the next one.
 */
@Entity('faq_entries')
export class FaqEntry {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar' }) status: FaqStatus;
  @Column({ type: 'varchar' }) category: Category;
  @Column({ type: 'text' }) title: string;
  @Column({ type: 'text' }) question: string;
  @Column({ type: 'text' }) answer: string;
  /** Public indicators an expert marked to keep (JSON string[]). */
  @Column({ type: 'text' }) keepTerms: string;
  /** What the anonymiser replaced (JSON Replacement[]): originals shown to managers and admins only. */
  @Column({ type: 'text' }) replacements: string;
  /** The consult it was promoted from: internal, never shown publicly. */
  @Column({ type: 'integer', nullable: true }) sourceConsultId: number | null;
  @Column({ type: 'integer', nullable: true }) sourceMemberId: number | null;
  /** The published version members see; null until first published, and after archiving. */
  @Column({ type: 'integer', nullable: true }) liveVersion: number | null;
  @Column({ type: 'integer', nullable: true }) createdBy: number | null;
  @Column({ type: 'integer', nullable: true }) updatedBy: number | null;
  @InstantColumn() createdAt: Date;
  @InstantColumn() updatedAt: Date;
}
