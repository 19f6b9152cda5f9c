import { parse } from 'csv-parse/sync';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { MEMBER_CSV_COLUMNS, MemberRowDto, REQUIRED_MESSAGES } from '../dto/member-row.dto';
import { MemberStatus } from '../entities/member.entity';
import { contractEndFor, isCalendarDate } from './calendar-date.util';
import { normalizeClubId } from './club-id.util';

/**
 * One CSV row. A property is undefined when its column is not in the file: an update then keeps the
 * stored value (an empty cell in a column that is there clears an optional field).
 */
export interface ParsedMember {
  row: number;
  clubId: string;
  nickname?: string;
  emails?: string[];
  company?: string;
  department?: string | null;
  contactName?: string | null;
  phone?: string | null;
  postalCode?: string | null;
  address?: string | null;
  contractStart?: string;
  /** Null: the cell is empty (one year from the start). */
  contractEnd?: string | null;
  status?: MemberStatus;
}

/** A member's fields as stored, and as a CSV row makes them. */
export interface MemberFields {
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
  status: MemberStatus;
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
  // The other required columns may be left out of a file that only updates members (mergeMemberRow).
  if (!header.includes('club_id')) problems.push({ row: 1, column: 'club_id', message: 'required column is missing' });
  if (problems.length > 0) return { members: [], problems };

  const members: ParsedMember[] = [];
  const seenClubIds = new Map<string, number>();
  const seenEmails = new Map<string, number>();
  records.slice(1).forEach((cells, index) => {
    const row = index + 2;
    const raw: Record<string, string> = {};
    // An empty or blank cell (full-width spaces included) is an empty value.
    header.forEach((name, i) => { if (cells[i].trim() !== '') raw[name] = cells[i]; });
    // Club IDs are matched case-sensitively in the database: cst-00101 is CST-00101.
    if (raw.club_id !== undefined) raw.club_id = normalizeClubId(raw.club_id);
    const dto = plainToInstance(MemberRowDto, raw);
    const rowProblems: CsvProblem[] = validateSync(dto).flatMap((err) => {
      // A column the file leaves out is not checked; a required one left empty is named as such.
      if (!header.includes(err.property)) return [];
      const required = REQUIRED_MESSAGES[err.property as keyof typeof REQUIRED_MESSAGES];
      if (raw[err.property] === undefined && required) return [{ row, column: err.property, message: required }];
      // class-validator's own messages start with the property name (the column is named already); ours do not.
      const message = Object.values(err.constraints ?? { x: 'is invalid' })[0];
      return [{ row, column: err.property, message: message.startsWith(`${err.property} `) ? message.slice(err.property.length + 1) : message }];
    });
    const emails = (dto.email ?? '').split(';').map((e) => e.trim().toLowerCase()).filter(Boolean);
    if (dto.email) {
      if (emails.length === 0) rowProblems.push({ row, column: 'email', message: REQUIRED_MESSAGES.email });
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
    const has = (column: (typeof MEMBER_CSV_COLUMNS)[number]) => header.includes(column);
    // An empty optional cell clears the field (null); an absent column stays undefined.
    const optional = (column: 'department' | 'contact_name' | 'phone' | 'postal_code' | 'address') => (has(column) ? dto[column] ?? null : undefined);
    members.push({
      row, clubId: dto.club_id, nickname: dto.nickname, emails: has('email') ? emails : undefined, company: dto.company,
      department: optional('department'), contactName: optional('contact_name'), phone: optional('phone'),
      postalCode: optional('postal_code'), address: optional('address'), contractStart: dto.contract_start,
      contractEnd: has('contract_end') ? dto.contract_end ?? null : undefined, status: has('status') ? dto.status ?? 'active' : undefined,
    });
  });
  return { members: problems.length ? [] : members, problems };
}

/**
 * The member a row makes: a new member (stored null) takes what the row gives, with the defaults
 * of INTERFACES.md, and needs every required column; an existing one keeps what the row leaves out.
 * Its term end is kept too unless the row moves the start (then one year from the new start).
 */
export function mergeMemberRow(row: ParsedMember, stored: MemberFields | null): { fields: MemberFields } | { problems: CsvProblem[] } {
  if (!stored) {
    const missing = (['nickname', 'emails', 'company', 'contractStart'] as const).filter((f) => row[f] === undefined);
    if (missing.length > 0) {
      return { problems: missing.map((f) => ({ row: row.row, column: COLUMN_OF[f], message: `${REQUIRED_MESSAGES[COLUMN_OF[f]]}（新しい会員の行ですが、この列がありません）` })) };
    }
  }
  // A new member's optional field the file leaves out is empty; its required ones were checked above.
  const keep = <K extends keyof MemberFields>(key: K): MemberFields[K] => (row[key] !== undefined ? row[key] : stored ? stored[key] : null) as MemberFields[K];
  const contractStart = keep('contractStart');
  const keepEnd = row.contractEnd === undefined && stored !== null && contractStart === stored.contractStart;
  const contractEnd = row.contractEnd ?? (keepEnd ? stored.contractEnd : contractEndFor(contractStart));
  if (contractEnd < contractStart) return { problems: [{ row: row.row, column: 'contract_end', message: 'is before contract_start' }] };
  return {
    fields: {
      nickname: keep('nickname'), emails: keep('emails'), company: keep('company'), department: keep('department'), contactName: keep('contactName'),
      phone: keep('phone'), postalCode: keep('postalCode'), address: keep('address'), contractStart, contractEnd, status: row.status ?? stored?.status ?? 'active',
    },
  };
}

const COLUMN_OF = { nickname: 'nickname', emails: 'email', company: 'company', contractStart: 'contract_start' } as const;
