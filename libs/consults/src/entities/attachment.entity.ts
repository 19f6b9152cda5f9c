import { Column, Entity, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { InstantColumn } from '@kkd/core';
import { Message } from './message.entity';

/** A file that came with a member's mail, stored content-addressed under DATA_DIR. */
@Entity('attachments')
export class Attachment {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'integer' }) messageId: number;
  @Column({ type: 'varchar' }) filename: string;
  @Column({ type: 'varchar' }) contentType: string;
  @Column({ type: 'integer' }) size: number;
  @Column({ type: 'varchar' }) sha256: string;
  @Column({ type: 'varchar' }) storagePath: string;
  @Column({ type: 'boolean' }) encrypted: boolean;
  /** When the retention period removed it (the file may stay while newer data shares it); null: kept. */
  @InstantColumn({ nullable: true }) deletedAt: Date | null;
  @ManyToOne(() => Message, (m) => m.attachments, { onDelete: 'CASCADE' }) message: Relation<Message>;
}
