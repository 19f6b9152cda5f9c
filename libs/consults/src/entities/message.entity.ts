import { Column, Entity, ManyToOne, OneToMany, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { InstantColumn } from '@kkd/core';
import { StaffUser } from '@kkd/staff';
import { MessageDirection } from '../consult-codes';
import { Attachment } from './attachment.entity';
import { Consult } from './consult.entity';

/** One entry of a consult's thread: a member's mail, a staff reply, or an internal note. */
@Entity('messages')
export class Message {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'integer' }) consultId: number;
  @Column({ type: 'varchar' }) direction: MessageDirection;
  @Column({ type: 'integer', nullable: true }) authorId: number | null;
  @Column({ type: 'varchar', nullable: true }) fromAddress: string | null;
  @Column({ type: 'text', nullable: true }) messageIdHeader: string | null;
  @Column({ type: 'text', nullable: true }) inReplyTo: string | null;
  @Column({ type: 'text', nullable: true }) referencesHeader: string | null;
  @Column({ type: 'text' }) subject: string;
  @Column({ type: 'text' }) text: string;
  /** Member HTML after sanitising (allow-list, no remote content); never the original. */
  @Column({ type: 'text', nullable: true }) html: string | null;
  @Column({ type: 'text', nullable: true }) headersJson: string | null;
  /** Path of the raw source under DATA_DIR (inbound mail). */
  @Column({ type: 'varchar', nullable: true }) rawPath: string | null;
  /** When the retention period removed the raw source (the path is kept for the record); null: kept. */
  @InstantColumn({ nullable: true }) rawDeletedAt: Date | null;
  /** Set when the MIME could not be fully parsed: the raw source is then shown. */
  @Column({ type: 'text', nullable: true }) parseError: string | null;
  /** Inbound: when the answer to this member message is due (each message waits on its own). */
  @InstantColumn({ nullable: true }) dueAt: Date | null;
  /** Inbound: when a staff reply to the member answered it; null while it waits. */
  @InstantColumn({ nullable: true }) answeredAt: Date | null;
  /** When the mail was received (inbound) or written (reply, note). */
  @InstantColumn() occurredAt: Date;
  @InstantColumn() createdAt: Date;

  @ManyToOne(() => Consult, (c) => c.messages, { onDelete: 'CASCADE' }) consult: Relation<Consult>;
  @ManyToOne(() => StaffUser, { nullable: true, onDelete: 'SET NULL' }) author: Relation<StaffUser> | null;
  @OneToMany(() => Attachment, (a) => a.message, { cascade: ['insert'] }) attachments: Relation<Attachment>[];
}
