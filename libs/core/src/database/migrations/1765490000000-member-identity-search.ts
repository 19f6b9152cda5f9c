import { MigrationInterface, QueryRunner } from 'typeorm';
import { searchableText } from '../../search/search-text.util';

/** Members folded per statement batch. */
const BATCH = 500;

/** The identity fields of a member, in memberSearchText's order, folded into one text. */
export type IdentityFold = (fields: ReadonlyArray<string | null | undefined>) => string;

/**
 * Identity search by full-width or half-width spelling and any case (issue 8): managers found a
 * member's consults by a plain LOWER(column) LIKE over company, department, contact name and
 * addresses, so ＡＢＣ商事 and abc商事, ｶﾌﾞｼｷｶﾞｲｼｬ and カブシキガイシャ missed each other.
 * `identity_search` holds those fields folded as the query's terms are (NFKC, lower case: the
 * product's search normalisation, which SQL cannot reproduce), written by the membership lib with
 * the details. Existing members are filled here, in TypeScript, with the same function and the
 * same field order as memberSearchText.
 *
 * A plain ADD COLUMN (and DROP COLUMN in `down`) on both databases: TypeORM's addColumn rebuilds
 * the table on SQLite, which would cascade to member_emails and consults when foreign keys are on.
 */
export class MemberIdentitySearch1765490000000 implements MigrationInterface {
  name = 'MemberIdentitySearch1765490000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE members ADD COLUMN identity_search text NOT NULL DEFAULT ''");
    await fillIdentitySearch(q, searchableText);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE members DROP COLUMN identity_search');
  }
}

/** Writes every member's identity_search with `fold`, in batches by id; only rows whose text changes. */
export async function fillIdentitySearch(q: QueryRunner, fold: IdentityFold): Promise<void> {
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
