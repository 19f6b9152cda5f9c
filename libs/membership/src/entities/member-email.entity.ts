import { Column, Entity, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { Member } from './member.entity';

/** A registered sender address of a member, stored lower-cased. */
@Entity('member_emails')
export class MemberEmail {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'integer' }) memberId: number;
  @Column({ type: 'varchar' }) address: string;

  @ManyToOne(() => Member, (m) => m.emails, { onDelete: 'CASCADE' })
  member: Relation<Member>;
}
