import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A file sent with an outbound mail (an expert's reply), stored content-addressed under DATA_DIR. */
@Entity('outbound_attachments')
export class OutboundAttachment {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'integer' }) outboundMailId: number;
  @Column({ type: 'varchar' }) filename: string;
  @Column({ type: 'varchar' }) contentType: string;
  @Column({ type: 'integer' }) size: number;
  @Column({ type: 'varchar' }) sha256: string;
  @Column({ type: 'varchar' }) storagePath: string;
}
