import { searchableText } from '@kkd/core';
import { Member } from '../entities/member.entity';

/**
 * A member's identity as identity search reads it (members.identity_search): company, department,
 * contact name and every address, folded as the query's terms are (identityTerms: full-width and
 * half-width, case, ㈱ and 株式会社, 髙 and 高). Written with the details each time they change; the
 * migrations that added and refolded the column filled it with the same fields in the same order.
 */
export function memberSearchText(member: Pick<Member, 'company' | 'department' | 'contactName'>, addresses: readonly string[]): string {
  return searchableText([member.company, member.department, member.contactName, ...addresses]);
}
