import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '@kkd/core';

/** One failed sign-in (or one reported refusal) of a throttle key; the key is stored hashed. */
@Entity('login_failures')
export class LoginFailure {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar' }) keyHash: string;
  @InstantColumn() failedAt: Date;
}
