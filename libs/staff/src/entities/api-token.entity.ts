import { Column, Entity, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { InstantColumn } from '@kkd/core';
import { StaffUser } from './staff-user.entity';

/** A bearer token for the JSON API; only its SHA-256 is stored. */
@Entity('api_tokens')
export class ApiToken {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'integer' }) userId: number;
  @Column({ type: 'varchar' }) tokenHash: string;
  @InstantColumn() createdAt: Date;
  @InstantColumn({ nullable: true }) lastUsedAt: Date | null;
  @ManyToOne(() => StaffUser, { onDelete: 'CASCADE' }) user: Relation<StaffUser>;
}
