import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { Member, MemberStatus } from './entities/member.entity';
import { MemberEmail } from './entities/member-email.entity';
import { normalizeClubId } from './utils/club-id.util';

@Injectable()
export class MemberRepository {
  constructor(@InjectRepository(Member) private readonly members: Repository<Member>) {}

  /** The member owning this sender address (case-insensitive), with its state. */
  /** The member with all their addresses (what masking their identity needs). */
  findByAddress(address: string, em: EntityManager = this.members.manager): Promise<Member | null> {
    // One join query (findOne with relations would add a DISTINCT pre-query on the hot intake path).
    return em.getRepository(Member).createQueryBuilder('m')
      .innerJoin(MemberEmail, 'e', 'e.member_id = m.id')
      .leftJoinAndSelect('m.emails', 'all_emails')
      .where('e.address = :address', { address: address.trim().toLowerCase() })
      .getOne();
  }

  findById(id: number): Promise<Member | null> {
    return this.members.findOne({ where: { id }, relations: { emails: true } });
  }

  /** Members by club ID as typed (cst-00101 finds CST-00101). */
  findByClubIds(clubIds: string[], em: EntityManager): Promise<Member[]> {
    if (clubIds.length === 0) return Promise.resolve([]);
    return em.getRepository(Member).find({ where: { clubId: In(clubIds.map(normalizeClubId)) }, relations: { emails: true } });
  }

  findEmailOwners(addresses: string[], em: EntityManager): Promise<MemberEmail[]> {
    if (addresses.length === 0) return Promise.resolve([]);
    return em.getRepository(MemberEmail).find({ where: { address: In(addresses) }, relations: { member: true } });
  }

  /** The members list: by club ID, filtered by state and by club ID or nickname (never by identity). */
  async list(query: { status?: MemberStatus; q?: string; page: number; pageSize: number }): Promise<{ items: Member[]; total: number }> {
    const qb = this.members.createQueryBuilder('m');
    if (query.status) qb.andWhere('m.status = :status', { status: query.status });
    if (query.q?.trim()) {
      const like = `%${query.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere("(m.club_id LIKE :like ESCAPE '\\' OR m.nickname LIKE :like ESCAPE '\\')", { like });
    }
    const [items, total] = await qb.orderBy('m.club_id', 'ASC').skip((query.page - 1) * query.pageSize).take(query.pageSize).getManyAndCount();
    return { items, total };
  }

  count(): Promise<number> {
    return this.members.count();
  }
}
