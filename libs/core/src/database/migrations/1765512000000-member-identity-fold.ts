import { MigrationInterface, QueryRunner } from 'typeorm';
import { normaliseForSearch, searchableText } from '../../search/search-text.util';
import { fillIdentitySearch, IdentityFold } from './1765490000000-member-identity-search';

/** The fold before this migration (NFKC and lower case only), written back by `down`. */
const widthAndCaseOnly: IdentityFold = (fields) => fields.map((f) => normaliseForSearch(f ?? '').trim()).filter(Boolean).join('\n');

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
    await fillIdentitySearch(q, searchableText);
  }

  async down(q: QueryRunner): Promise<void> {
    await fillIdentitySearch(q, widthAndCaseOnly);
  }
}
