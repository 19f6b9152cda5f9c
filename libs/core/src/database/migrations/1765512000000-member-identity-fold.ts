import { MigrationInterface, QueryRunner } from 'typeorm';
import { normaliseForSearch, searchableText } from '../../search/search-text.util';

/** Members refolded per statement batch. */
const BATCH = 500;

type Fold = (fields: ReadonlyArray<string | null | undefined>) => string;

/** The fold before this migration (NFKC and lower case only), written back by `down`. */
const widthAndCaseOnly: Fold = (fields) => fields.map((f) => normaliseForSearch(f ?? '').trim()).filter(Boolean).join('\n');

/**
 * Identity search by legal form and name variant: ひまわり精機株式会社 is found by ひまわり精機㈱
 * or (株)ひまわり精機, ㈱髙﨑製作所 by 株式会社高崎製作所 (foldIdentity, now part of searchableText).
 * `identity_search` is recomputed for every member with the same function and field order as
 * memberSearchText, in TypeScript (SQL cannot reproduce the fold), as the migration that added
 * the column filled it.
 */
export class MemberIdentityFold1765512000000 implements MigrationInterface {
  name = 'MemberIdentityFold1765512000000';

  async up(q: QueryRunner): Promise<void> {
    await refold(q, searchableText);
  }

  async down(q: QueryRunner): Promise<void> {
    await refold(q, widthAndCaseOnly);
  }
}

/** Writes every member's identity_search with `fold`, in batches by id; only rows whose text changes. */
async function refold(q: QueryRunner, fold: Fold): Promise<void> {
  const at = q.connection.options.type === 'postgres' ? (i: number) => `$${i}` : () => '?';
  for (let after = 0; ;) {
    const members = (await q.query(
      `SELECT id, company, department, contact_name, identity_search FROM members WHERE id > ${at(1)} ORDER BY id LIMIT ${BATCH}`, [after],
    )) as { id: number | string; company: string; department: string | null; contact_name: string | null; identity_search: string }[];
    if (members.length === 0) return;
    const ids = members.map((m) => Number(m.id));
    const emails = (await q.query(
      `SELECT member_id, address FROM member_emails WHERE member_id IN (${ids.map((_, i) => at(i + 1)).join(', ')}) ORDER BY id`, ids,
    )) as { member_id: number | string; address: string }[];
    const addresses = new Map<number, string[]>();
    for (const e of emails) addresses.set(Number(e.member_id), [...(addresses.get(Number(e.member_id)) ?? []), e.address]);
    for (const m of members) {
      const text = fold([m.company, m.department, m.contact_name, ...(addresses.get(Number(m.id)) ?? [])]);
      if (text !== m.identity_search) await q.query(`UPDATE members SET identity_search = ${at(1)} WHERE id = ${at(2)}`, [text, Number(m.id)]);
    }
    after = ids[ids.length - 1];
  }
}
