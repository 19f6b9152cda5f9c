import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '@kkd/core';

export type OutboundKind = 'acknowledgement' | 'reply' | 'notice' | 'encryption_notice';
/** queued → sent, or failed after the last retry; bounced when the member's server returned it. */
export type OutboundStatus = 'queued' | 'sent' | 'failed' | 'bounced';

/** The transactional outbox: a row is written with the change that causes the mail. */
@Entity('outbound_mails')
export class OutboundMail {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'integer', nullable: true }) consultId: number | null;
  /** The timeline message this mail carries (replies), if any. */
  @Column({ type: 'integer', nullable: true }) messageRowId: number | null;
  @Column({ type: 'varchar' }) kind: OutboundKind;
  @Column({ type: 'varchar' }) toAddress: string;
  @Column({ type: 'text' }) subject: string;
  @Column({ type: 'text' }) bodyText: string;
  @Column({ type: 'text' }) messageIdHeader: string;
  @Column({ type: 'text', nullable: true }) inReplyTo: string | null;
  @Column({ type: 'text', nullable: true }) referencesHeader: string | null;
  @Column({ type: 'varchar' }) status: OutboundStatus;
  @Column({ type: 'integer' }) attempts: number;
  @InstantColumn() nextAttemptAt: Date;
  @Column({ type: 'text', nullable: true }) lastError: string | null;
  @InstantColumn({ nullable: true }) sentAt: Date | null;
  @InstantColumn() createdAt: Date;
}
