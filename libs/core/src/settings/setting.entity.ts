import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../database/columns';

/** One product setting that staff change at run time (environment settings live in AppConfig). */
@Entity('settings')
export class Setting {
  @PrimaryColumn({ type: 'varchar' }) key: string;
  /** The value in its definition's canonical text form. */
  @Column({ type: 'text' }) value: string;
  @InstantColumn() updatedAt: Date;
  @Column({ type: 'integer', nullable: true }) updatedBy: number | null;
}
