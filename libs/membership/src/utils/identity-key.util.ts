import type { MemberIdentity } from './identity-mask.util';

/**
 * What a member's masker is built from, as one comparable string: equal keys mask alike, so texts
 * masked under another key (the consult search index) are out of date.
 */
export function identityKey(member: Omit<MemberIdentity, 'emails'> & { emails: (string | { address: string })[] }): string {
  const emails = member.emails.map((e) => (typeof e === 'string' ? e : e.address)).sort();
  return JSON.stringify([member.company, member.department ?? null, member.contactName ?? null, member.phone ?? null, member.postalCode ?? null, member.address ?? null, emails]);
}
