import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Member } from './entities/member.entity';
import { IdentityMasker, identityMasker, memberIdentityOf } from './utils/identity-mask.util';

/** Members whose maskers are kept; the least recently used beyond this is dropped. */
const MAX_MEMBERS = 500;
/**
 * Masked texts remembered, all members together (a page shows the same messages again, and the
 * same quoted history comes back in every reply): at most this many characters of originals, the
 * least recently used dropped first (some 8 MB with the masked copies: a 200-message consult
 * is about 130,000 characters, and the search indexer masks every new mail through it too).
 */
const MAX_MEMO_CHARS = 2_000_000;

interface Cached {
  key: string;
  mask: IdentityMasker;
}

/**
 * Experts see a member only by nickname and club ID (PRODUCT.md, privacy): every member-written
 * text they read goes through that member's masker. Maskers are built once per process and
 * rebuilt when the member's identity or mail addresses change (the key is their current values,
 * read on every call, so an edit in another process is seen too).
 */
@Injectable()
export class IdentityMaskService {
  private readonly cache = new Map<number, Cached>();
  private readonly memo = new Map<string, string>();
  private memoChars = 0;
  private generation = 0;

  constructor(private readonly dataSource: DataSource) {}

  /**
   * A function hiding this member's identity in a text (patterns only if the member is gone). A
   * member already loaded with their addresses is used as loaded: no read.
   */
  async maskerFor(member: number | Member, em?: EntityManager): Promise<IdentityMasker> {
    if (typeof member !== 'number' && member.emails) return this.cached(member.id, member);
    const id = typeof member === 'number' ? member : member.id;
    return (await this.maskersFor([id], em)).get(id)!;
  }

  /** Maskers for several members (a queue page), their details read in one statement. */
  async maskersFor(memberIds: number[], em?: EntityManager): Promise<Map<number, IdentityMasker>> {
    const ids = [...new Set(memberIds)];
    const members = ids.length === 0 ? [] : await (em ?? this.dataSource.manager).getRepository(Member).createQueryBuilder('m')
      .leftJoinAndSelect('m.emails', 'e')
      .where('m.id IN (:...ids)', { ids })
      .getMany();
    const byId = new Map(members.map((m) => [m.id, m]));
    return new Map(ids.map((id) => [id, this.cached(id, byId.get(id) ?? null)]));
  }

  private cached(memberId: number, member: Member | null): IdentityMasker {
    const identity = memberIdentityOf(member);
    const key = JSON.stringify(identity);
    const hit = this.cache.get(memberId);
    this.cache.delete(memberId);
    if (hit && hit.key === key) {
      this.cache.set(memberId, hit);
      return hit.mask;
    }
    // A new generation: what the member's old masker memoised is never read again and ages out.
    const cached = { key, mask: this.memoised(identityMasker(identity), ++this.generation) };
    this.cache.set(memberId, cached);
    if (this.cache.size > MAX_MEMBERS) this.cache.delete(this.cache.keys().next().value!);
    return cached.mask;
  }

  /** File names (maskFileName) are few and short: their extra pass is not remembered. */
  private memoised(mask: IdentityMasker, generation: number): IdentityMasker {
    const memoisedMask = (text: string) => {
      const key = `${generation}\u0000${text}`;
      const known = this.memo.get(key);
      if (known !== undefined) {
        this.memo.delete(key);
        this.memo.set(key, known);
        return known;
      }
      const masked = mask(text);
      if (text.length > MAX_MEMO_CHARS / 100) return masked;
      this.memo.set(key, masked);
      this.memoChars += key.length;
      for (const [oldest] of this.memo) {
        if (this.memoChars <= MAX_MEMO_CHARS) break;
        this.memo.delete(oldest);
        this.memoChars -= oldest.length;
      }
      return masked;
    };
    return Object.assign(memoisedMask, { fileNameParts: mask.fileNameParts });
  }
}
