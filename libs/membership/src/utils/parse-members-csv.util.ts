import { parse } from 'csv-parse/sync';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { MEMBER_CSV_COLUMNS, MemberRowDto } from '../dto/member-row.dto';
import { contractEndFor, isCalendarDate } from './calendar-date.util';

export interface ParsedMember {
  row: number;
  clubId: string;
  nickname: string;
  emails: string[];
  company: string;
  department: string | null;
  contactName: string | null;
  phone: string | null;
  postalCode: string | null;
  address: string | null;
  contractStart: string;
  contractEnd: string;
  status: MemberRowDto['status'] & string;
}

/** A problem with one cell; `row` counts the header as row 1, as a spreadsheet shows it. */
export interface CsvProblem {
  row: number;
  column: string;
  message: string;
}

const EMAIL = /^[^\s@;,<>"]+@[^\s@;,<>"]+\.[^\s@;,<>"]+$/;

/** Parses and checks the members CSV (INTERFACES.md) without touching the database. */
export function parseMembersCsv(text: string): { members: ParsedMember[]; problems: CsvProblem[] } {
  const problems: CsvProblem[] = [];
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { bom: true, skip_empty_lines: true, relax_column_count: false, trim: true });
  } catch (err) {
    const e = err as { lines?: number; message: string };
    return { members: [], problems: [{ row: e.lines ?? 0, column: '-', message: `not valid CSV: ${e.message}` }] };
  }
  if (records.length === 0) return { members: [], problems: [{ row: 1, column: '-', message: 'the file is empty (a header row is required)' }] };

  const header = records[0].map((h) => h.trim().toLowerCase());
  header.forEach((name, i) => {
    if (!(MEMBER_CSV_COLUMNS as readonly string[]).includes(name)) problems.push({ row: 1, column: name || `#${i + 1}`, message: 'unknown column' });
    else if (header.indexOf(name) !== i) problems.push({ row: 1, column: name, message: 'column appears twice' });
  });
  for (const required of ['club_id', 'nickname', 'email', 'company', 'contract_start']) {
    if (!header.includes(required)) problems.push({ row: 1, column: required, message: 'required column is missing' });
  }
  if (problems.length > 0) return { members: [], problems };

  const members: ParsedMember[] = [];
  const seenClubIds = new Map<string, number>();
  const seenEmails = new Map<string, number>();
  records.slice(1).forEach((cells, index) => {
    const row = index + 2;
    const raw: Record<string, string> = {};
    header.forEach((name, i) => { if (cells[i] !== '') raw[name] = cells[i]; });
    const dto = plainToInstance(MemberRowDto, raw);
    const rowProblems: CsvProblem[] = validateSync(dto).map((err) => ({
      row, column: err.property, message: Object.values(err.constraints ?? { x: 'is invalid' })[0].replace(/^\S+ /, ''),
    }));
    const emails = (dto.email ?? '').split(';').map((e) => e.trim().toLowerCase()).filter(Boolean);
    if (dto.email) {
      if (emails.length === 0) rowProblems.push({ row, column: 'email', message: 'is required' });
      for (const e of emails) {
        if (!EMAIL.test(e)) rowProblems.push({ row, column: 'email', message: `"${e}" is not an email address` });
        else if (seenEmails.has(e)) rowProblems.push({ row, column: 'email', message: `"${e}" is already used on row ${seenEmails.get(e)}` });
        else seenEmails.set(e, row);
      }
    }
    for (const column of ['contract_start', 'contract_end'] as const) {
      const value = dto[column];
      if (value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !isCalendarDate(value)) rowProblems.push({ row, column, message: `${value} is not a calendar date` });
    }
    if (dto.contract_start && dto.contract_end && dto.contract_end < dto.contract_start) {
      rowProblems.push({ row, column: 'contract_end', message: 'is before contract_start' });
    }
    if (dto.club_id) {
      if (seenClubIds.has(dto.club_id)) rowProblems.push({ row, column: 'club_id', message: `${dto.club_id} is already on row ${seenClubIds.get(dto.club_id)}` });
      else seenClubIds.set(dto.club_id, row);
    }
    if (rowProblems.length > 0) {
      problems.push(...rowProblems);
      return;
    }
    members.push({
      row, clubId: dto.club_id, nickname: dto.nickname, emails, company: dto.company,
      department: dto.department ?? null, contactName: dto.contact_name ?? null, phone: dto.phone ?? null,
      postalCode: dto.postal_code ?? null, address: dto.address ?? null, contractStart: dto.contract_start,
      contractEnd: dto.contract_end ?? contractEndFor(dto.contract_start), status: dto.status ?? 'active',
    });
  });
  return { members: problems.length ? [] : members, problems };
}
