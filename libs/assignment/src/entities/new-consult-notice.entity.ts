import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '@kkd/core';

export type NewConsultNoticeKind = 'immediate' | 'digest';

/**
 * A new-consult notice sent to an expert. Unique by (staff, kind, key), so each goes once: the key
 * is the consult id for an immediate notice, the Japan date (YYYY-MM-DD) for a digest.
 */
@Entity('new_consult_notices')
export class NewConsultNoticeRecord {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'integer' }) staffId: number;
  @Column({ type: 'varchar' }) kind: NewConsultNoticeKind;
  @Column({ type: 'varchar' }) noticeKey: string;
  /** Consults created before this instant are covered (a digest's window ends here). */
  @InstantColumn() coveredUntil: Date;
  @Column({ type: 'integer' }) consultCount: number;
  @InstantColumn() createdAt: Date;
}
