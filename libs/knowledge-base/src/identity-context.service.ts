import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Message } from '@kkd/consults';
import { addressLiterals, Member, memberDomains, memberIdentityOf } from '@kkd/membership';
import { IdentityContext, publicIpsIn } from './utils/anonymise.util';

/**
 * Everything that identifies a member, for the anonymiser: every member's company, club ID,
 * contact details and mail domains (one member's FAQ must not name another either), plus the
 * asking member's nickname and the public IPs their mails named.
 */
@Injectable()
export class IdentityContextService {
  constructor(private readonly dataSource: DataSource) {}

  async forConsult(sourceMemberId: number | null, sourceConsultId: number | null, keep: string[]): Promise<IdentityContext> {
    const members = await this.dataSource.getRepository(Member).find({ relations: { emails: true } });
    const source = members.find((m) => m.id === sourceMemberId) ?? null;
    const inbound = sourceConsultId === null ? [] : await this.dataSource.getRepository(Message).find({
      select: { id: true, text: true }, where: { consultId: sourceConsultId, direction: 'inbound' },
    });
    const present = <T>(values: (T | null | undefined)[]) => values.filter((v): v is T => v !== null && v !== undefined && v !== '');
    return {
      nickname: source?.nickname ?? null,
      member: source ? memberIdentityOf(source) : null,
      clubIds: members.map((m) => m.clubId),
      companies: members.map((m) => m.company),
      personNames: present(members.map((m) => m.contactName)),
      domains: [...new Set(members.flatMap((m) => m.emails.flatMap((e) => memberDomains(e.address))))],
      // Each address also as its leading parts (横浜市西区みなとみらい without the block number).
      addresses: members.flatMap((m) => addressLiterals(m.address)),
      memberIps: [...new Set(inbound.flatMap((m) => publicIpsIn(m.text)))],
      keep,
    };
  }
}
