import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { CannedReply } from './entities/canned-reply.entity';

/** The canned replies table: lookups, writes and the usage counter. */
@Injectable()
export class CannedReplyRepository {
  constructor(@InjectRepository(CannedReply) private readonly rows: Repository<CannedReply>) {}

  all(): Promise<CannedReply[]> {
    return this.rows.find({ order: { id: 'ASC' } });
  }

  /** Id, category and title only: what a reply form's choice needs (bodies may be long). */
  titles(): Promise<Pick<CannedReply, 'id' | 'category' | 'title'>[]> {
    return this.rows.find({ select: { id: true, category: true, title: true }, order: { id: 'ASC' } });
  }

  findById(id: number, em?: EntityManager): Promise<CannedReply | null> {
    return (em ? em.getRepository(CannedReply) : this.rows).findOneBy({ id });
  }

  save(em: EntityManager, row: Partial<CannedReply>): Promise<CannedReply> {
    return em.getRepository(CannedReply).save(em.getRepository(CannedReply).create(row));
  }

  async delete(em: EntityManager, id: number): Promise<boolean> {
    return ((await em.getRepository(CannedReply).delete({ id })).affected ?? 0) > 0;
  }

  /** One more use of each template (ids that no longer exist are skipped): one atomic statement. */
  async countUse(em: EntityManager, ids: number[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await em.createQueryBuilder().update(CannedReply)
      .set({ usageCount: () => 'usage_count + 1', lastUsedAt: at })
      .where({ id: In(ids) }).updateEntity(false).execute();
  }
}
