/**
 * How a member is named everywhere staff or other members can see: nickname in the family-name
 * position, club ID in the given-name position (PRODUCT.md), never the company or a person.
 */
export function memberDisplayName(member: { nickname: string; clubId: string }): string {
  return `${member.nickname} ${member.clubId}`;
}
