import { Injectable, Logger } from '@nestjs/common';
import { AuditInput, AuditService } from '@kkd/audit';
import { jstDateOf } from '@kkd/calendar';
import { Clock, DomainEvents, TransactionRunner } from '@kkd/core';
import { ContractService } from './contract.service';
import { Member, MemberStatus } from './entities/member.entity';
import { MemberEmail } from './entities/member-email.entity';
import { MemberRepository } from './member.repository';
import { MemberImportError } from './membership.exception';
import { ContractAction, importedStatusChange, isPastTerm } from './utils/contract-rules.util';
import { CsvEncoding, decodeMembersCsv } from './utils/decode-members-csv.util';
import { identityKey } from './utils/identity-key.util';
import { memberSearchText } from './utils/member-search-text.util';
import { CsvProblem, MemberFields, mergeMemberRow, ParsedMember, parseMembersCsv } from './utils/parse-members-csv.util';

export type { CsvEncoding };

/** The reason a status change by import carries in the contract history. */
const IMPORT_REASON = '会員CSVの取り込み（members:import）';
/** How a term change by import is marked in the contract history and the audit log. */
const IMPORT_VIA = 'members:import';

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
    private readonly contracts: ContractService,
  ) {}

  decode(bytes: Buffer, encoding: CsvEncoding): string {
    const decoded = decodeMembersCsv(bytes, encoding);
    if ('problem' in decoded) throw new MemberImportError([decoded.problem]);
    return decoded.text;
  }

  async importCsv(bytes: Buffer, encoding: CsvEncoding = 'utf8'): Promise<ImportResult> {
    const { members, problems } = parseMembersCsv(this.decode(bytes, encoding));
    if (problems.length > 0) throw new MemberImportError(problems);
    const now = this.clock.now();
    const result = await this.tx.run(async (em) => {
      const existing = new Map((await this.members.findByClubIds(members.map((m) => m.clubId), em)).map((m) => [m.clubId, m]));
      // A row updating a member keeps what the file leaves out; a row creating one needs it all.
      const merged: { row: ParsedMember; fields: MemberFields; change: { action: ContractAction; to: MemberStatus } | null }[] = [];
      const invalid: CsvProblem[] = [];
      const today = jstDateOf(now);
      for (const row of members) {
        const stored = existing.get(row.clubId);
        const result = mergeMemberRow(row, stored ? { ...stored, emails: stored.emails.map((e) => e.address) } : null);
        if ('problems' in result) {
          invalid.push(...result.problems);
          continue;
        }
        // A stored member's status moves only as the console may move it (a term extended in the same row counts).
        const change = stored ? importedStatusChange(stored.status, result.fields.status, isPastTerm(result.fields.contractEnd, today)) : null;
        if (change && 'error' in change) invalid.push({ row: row.row, column: 'status', message: change.error });
        else merged.push({ row, fields: result.fields, change });
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
      for (const { row, fields, change } of merged) {
        const member = existing.get(row.clubId) ?? em.getRepository(Member).create({ clubId: row.clubId, createdAt: now, emails: [] });
        const before = member.id ? member.status : null;
        const termBefore = member.id ? { contractStart: member.contractStart, contractEnd: member.contractEnd } : null;
        const identityBefore = member.id ? identityKey(member) : null;
        if (!member.id) created++;
        if (row.emails !== undefined) {
          if (member.id) await em.getRepository(MemberEmail).delete({ memberId: member.id });
          member.emails = fields.emails.map((address) => em.getRepository(MemberEmail).create({ address }));
        }
        // A stored member's status is moved by the contract service (history and audit), not by this save.
        Object.assign(member, {
          nickname: fields.nickname, company: fields.company, department: fields.department, contactName: fields.contactName,
          phone: fields.phone, postalCode: fields.postalCode, address: fields.address, contractStart: fields.contractStart,
          contractEnd: fields.contractEnd, status: member.id ? member.status : fields.status, updatedAt: now, identitySearch: memberSearchText(fields, fields.emails),
        });
        await em.getRepository(Member).save(member);
        if (termBefore && (termBefore.contractStart !== fields.contractStart || termBefore.contractEnd !== fields.contractEnd)) {
          await this.contracts.recordTermChange(em, member, termBefore, fields, null, now, IMPORT_VIA);
        }
        if (change) {
          await this.contracts.recordChange(em, member, change.action, change.to, IMPORT_REASON, null, now);
          member.status = change.to;
        }
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
