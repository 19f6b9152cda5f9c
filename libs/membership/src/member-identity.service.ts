import { Injectable } from '@nestjs/common';
import { AuditActor, AuditService } from '@kkd/audit';
import { NotFoundError } from '@kkd/core';
import { Member } from './entities/member.entity';
import { MemberRepository } from './member.repository';

/** Where a member's identity was shown: a console page or an API answer. */
export type IdentityChannel = 'console.member' | 'console.member_edit' | 'console.consult' | 'api.tickets' | 'api.ticket' | 'console.faq' | 'api.faq';

/**
 * A member's identity (art. 12 details) is shown only to managers and admins, and every time it
 * is, the audit log says who saw whose, where (PRODUCT.md, privacy).
 */
@Injectable()
export class MemberIdentityService {
  constructor(private readonly members: MemberRepository, private readonly audit: AuditService) {}

  /** The member with their identity, the view recorded. */
  async open(memberId: number, actor: AuditActor, channel: IdentityChannel): Promise<Member> {
    const member = await this.members.findById(memberId);
    if (!member) throw new NotFoundError('member', memberId);
    await this.recordViews([member], actor, channel);
    return member;
  }

  /** Records that these members' identities were shown (once per member per answer). */
  async recordViews(members: Pick<Member, 'id' | 'clubId'>[], actor: AuditActor, channel: IdentityChannel, context: Record<string, unknown> = {}): Promise<void> {
    const seen = new Map(members.map((m) => [m.id, m]));
    await this.audit.recordMany(null, [...seen.values()].map((m) => ({
      actor, action: 'member.identity_viewed', target: { type: 'member', id: m.id, label: m.clubId }, details: { channel, ...context },
    })));
  }
}
