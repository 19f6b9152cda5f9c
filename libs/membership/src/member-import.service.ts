import { Injectable, Logger } from '@nestjs/common';
import iconv from 'iconv-lite';
import { AuditInput, AuditService } from '@kkd/audit';
import { Clock, DomainEvents, TransactionRunner } from '@kkd/core';
import { Member } from './entities/member.entity';
import { MemberEmail } from './entities/member-email.entity';
import { MemberRepository } from './member.repository';
import { MemberImportError } from './membership.exception';
import { identityKey } from './utils/identity-key.util';
import { memberSearchText } from './utils/member-search-text.util';
import { CsvProblem, MemberFields, mergeMemberRow, ParsedMember, parseMembersCsv } from './utils/parse-members-csv.util';

export type CsvEncoding = 'utf8' | 'sjis';

export interface ImportResult {
  created: number;
  updated: number;
}

/** members:import: creates or updates members from CSV, all rows or none. */
@Injectable()
export class MemberImportService {
  private readonly logger = new Logger(MemberImportService.name);

  constructor(
    private readonly tx: TransactionRunner,
    private readonly members: MemberRepository,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
  ) {}

  decode(bytes: Buffer, encoding: CsvEncoding): string {
    if (encoding === 'sjis') return iconv.decode(bytes, 'cp932');
    const text = bytes.toString('utf8');
    if (text.includes('\uFFFD')) {
      throw new MemberImportError([{ row: 0, column: '-', message: 'the file is not valid UTF-8 (use --encoding sjis for Shift_JIS)' }]);
    }
    return text;
  }

  async importCsv(bytes: Buffer, encoding: CsvEncoding = 'utf8'): Promise<ImportResult> {
    const { members, problems } = parseMembersCsv(this.decode(bytes, encoding));
    if (problems.length > 0) throw new MemberImportError(problems);
    const now = this.clock.now();
    const result = await this.tx.run(async (em) => {
      const existing = new Map((await this.members.findByClubIds(members.map((m) => m.clubId), em)).map((m) => [m.clubId, m]));
      // A row updating a member keeps what the file leaves out; a row creating one needs it all.
      const merged: { row: ParsedMember; fields: MemberFields }[] = [];
      const invalid: CsvProblem[] = [];
      for (const row of members) {
        const stored = existing.get(row.clubId);
        const result = mergeMemberRow(row, stored ? { ...stored, emails: stored.emails.map((e) => e.address) } : null);
        if ('problems' in result) invalid.push(...result.problems);
        else merged.push({ row, fields: result.fields });
      }
      if (invalid.length > 0) throw new MemberImportError(invalid);

      const owners = await this.members.findEmailOwners(members.flatMap((m) => m.emails ?? []), em);
      const conflicts: CsvProblem[] = [];
      for (const owner of owners) {
        const row = members.find((m) => m.emails?.includes(owner.address))!;
        if (owner.member.clubId !== row.clubId) {
          conflicts.push({ row: row.row, column: 'email', message: `"${owner.address}" belongs to ${owner.member.clubId}` });
        }
      }
      if (conflicts.length > 0) throw new MemberImportError(conflicts);

      let created = 0;
      const audit: AuditInput[] = [];
      for (const { row, fields } of merged) {
        const member = existing.get(row.clubId) ?? em.getRepository(Member).create({ clubId: row.clubId, createdAt: now, emails: [] });
        const before = member.id ? member.status : null;
        const identityBefore = member.id ? identityKey(member) : null;
        if (!member.id) created++;
        if (row.emails !== undefined) {
          if (member.id) await em.getRepository(MemberEmail).delete({ memberId: member.id });
          member.emails = fields.emails.map((address) => em.getRepository(MemberEmail).create({ address }));
        }
        Object.assign(member, {
          nickname: fields.nickname, company: fields.company, department: fields.department, contactName: fields.contactName,
          phone: fields.phone, postalCode: fields.postalCode, address: fields.address, contractStart: fields.contractStart,
          contractEnd: fields.contractEnd, status: fields.status, updatedAt: now, identitySearch: memberSearchText(fields, fields.emails),
        });
        await em.getRepository(Member).save(member);
        // Texts masked with the old details (the consult search index) are rebuilt.
        if (identityBefore !== null && identityBefore !== identityKey(member)) await this.events.emit(em, 'member.identity_changed', { memberId: member.id });
        // Every member change is audited; the command line has no staff account (actor: null).
        audit.push({
          actor: null, action: before === null ? 'member.created' : 'member.updated', target: { type: 'member', id: member.id, label: member.clubId },
          details: { via: 'members:import', ...(before !== null && before !== fields.status ? { status: { from: before, to: fields.status } } : {}) },
        });
      }
      await this.audit.recordMany(em, audit);
      return { created, updated: members.length - created };
    });
    this.logger.log(`members imported: ${result.created} created, ${result.updated} updated`);
    return result;
  }
}
