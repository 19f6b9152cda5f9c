import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Not, Repository } from 'typeorm';
import { NotFoundError } from '@kkd/core';
import { FaqEntry, FaqStatus } from './entities/faq-entry.entity';
import { FaqVersion } from './entities/faq-version.entity';

/** Entries and their published versions. */
@Injectable()
export class FaqRepository {
  constructor(
    @InjectRepository(FaqEntry) private readonly entries: Repository<FaqEntry>,
    @InjectRepository(FaqVersion) private readonly versions: Repository<FaqVersion>,
  ) {}

  async get(id: number, em: EntityManager = this.entries.manager): Promise<FaqEntry> {
    const entry = await em.getRepository(FaqEntry).findOneBy({ id });
    if (!entry) throw new NotFoundError('faq entry', id);
    return entry;
  }

  /** The entry already drafted from a consult, unless archived. */
  activeForConsult(consultId: number, em: EntityManager = this.entries.manager): Promise<FaqEntry | null> {
    return em.getRepository(FaqEntry).findOneBy({ sourceConsultId: consultId, status: Not('archived') });
  }

  async list(query: { status?: FaqStatus; page: number; pageSize: number }): Promise<{ items: FaqEntry[]; total: number }> {
    const [items, total] = await this.entries.findAndCount({
      where: query.status ? { status: query.status } : {},
      order: { updatedAt: 'DESC', id: 'DESC' },
      skip: (query.page - 1) * query.pageSize, take: query.pageSize,
    });
    return { items, total };
  }

  async countByStatus(): Promise<Record<FaqStatus, number>> {
    const rows = await this.entries.createQueryBuilder('e').select('e.status', 'status').addSelect('COUNT(*)', 'n').groupBy('e.status').getRawMany<{ status: FaqStatus; n: string | number }>();
    const counts: Record<FaqStatus, number> = { draft: 0, review: 0, published: 0, archived: 0 };
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts;
  }

  versionsOf(entryId: number): Promise<FaqVersion[]> {
    return this.versions.find({ where: { entryId }, order: { version: 'DESC' } });
  }

  /** The live version of each of the given entries (those members can read). */
  async liveVersions(entryIds: number[], em: EntityManager = this.versions.manager): Promise<Map<number, FaqVersion>> {
    if (entryIds.length === 0) return new Map();
    const rows = await em.getRepository(FaqVersion).createQueryBuilder('v')
      .innerJoin(FaqEntry, 'e', 'e.id = v.entry_id AND e.live_version = v.version')
      .where({ entryId: In(entryIds) })
      .getMany();
    return new Map(rows.map((v) => [v.entryId, v]));
  }

  async nextVersion(em: EntityManager, entryId: number): Promise<number> {
    const row = await em.getRepository(FaqVersion).createQueryBuilder('v').select('MAX(v.version)', 'max').where('v.entry_id = :entryId', { entryId }).getRawOne<{ max: number | string | null }>();
    return Number(row?.max ?? 0) + 1;
  }
}
