import { INestApplicationContext } from '@nestjs/common';
import fs from 'fs';
import path from 'path';
import { BusinessCalendar, CALENDAR_RANGE_TEXT } from '@kkd/calendar';
import { isJstMonth, parseInstant, toJstIso, ValidationError } from '@kkd/core';
import { CATEGORIES } from '@kkd/consults';
import { IntakeService } from '@kkd/inbox';
import { BillingExportService } from '@kkd/usage';
import { CsvEncoding, MemberImportService } from '@kkd/membership';
import { STAFF_ROLES, StaffRole, StaffService } from '@kkd/staff';

export interface CliIo {
  out(line: string): void;
  /** Bytes to stdout as they are (a CSV with its BOM and CRLF); resolves once written. */
  write(data: Buffer): Promise<void>;
  /** A line to stderr (a warning; stdout stays clean for the CSV). */
  warn(line: string): void;
  readStdin(): Promise<string>;
  /** Directory relative file arguments are resolved against (where the operator ran npm). */
  cwd: string;
}

type Options = Record<string, string | true>;

const text = (options: Options, name: string): string | undefined => (typeof options[name] === 'string' ? (options[name] as string) : undefined);
const required = (options: Options, name: string): string => {
  const value = text(options, name);
  if (!value) throw new ValidationError(name, `--${name} is required`);
  return value;
};

export async function membersImport(ctx: INestApplicationContext, args: string[], options: Options, io: CliIo): Promise<void> {
  if (args.length !== 1) throw new ValidationError('file', 'usage: members:import <file.csv> [--encoding utf8|sjis]');
  const encoding = (text(options, 'encoding') ?? 'utf8').toLowerCase().replace(/[-_]/g, '');
  const normalized: CsvEncoding | null = ['utf8'].includes(encoding) ? 'utf8' : ['sjis', 'shiftjis', 'cp932'].includes(encoding) ? 'sjis' : null;
  if (!normalized) throw new ValidationError('encoding', `--encoding must be utf8 or sjis, got ${encoding}`);
  const bytes = fs.readFileSync(path.resolve(io.cwd, args[0]));
  const result = await ctx.get(MemberImportService).importCsv(bytes, normalized);
  io.out(`imported ${result.created + result.updated} members (${result.created} created, ${result.updated} updated)`);
}

export async function usersCreate(ctx: INestApplicationContext, _args: string[], options: Options, io: CliIo): Promise<void> {
  const role = required(options, 'role') as StaffRole;
  if (!STAFF_ROLES.includes(role)) throw new ValidationError('role', `--role must be one of ${STAFF_ROLES.join(', ')}`);
  const password = options['password-stdin'] ? (await io.readStdin()).replace(/\r?\n$/, '') : text(options, 'password');
  const skills = text(options, 'skills')?.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = skills?.filter((s) => !(CATEGORIES as readonly string[]).includes(s)) ?? [];
  if (unknown.length) throw new ValidationError('skills', `unknown skill ${unknown.join(', ')}: --skills takes category codes (${CATEGORIES.join(', ')})`);
  const user = await ctx.get(StaffService).create({ email: required(options, 'email'), name: required(options, 'name'), role, password, skills });
  io.out(`created ${user.role} ${user.email}`);
}

export async function tokensCreate(ctx: INestApplicationContext, _args: string[], options: Options, io: CliIo): Promise<void> {
  io.out(await ctx.get(StaffService).createToken(required(options, 'email')));
}

export async function ingest(ctx: INestApplicationContext, args: string[], _options: Options, io: CliIo): Promise<void> {
  if (args.length === 0) throw new ValidationError('file', 'usage: ingest <file.eml>...');
  const intake = ctx.get(IntakeService);
  for (const file of args) {
    const outcome = await intake.accept(fs.readFileSync(path.resolve(io.cwd, file)));
    io.out(`${file}: ${outcome.kind}${'consultNumber' in outcome ? ` KKD#${outcome.consultNumber}` : ` (${outcome.reason})`}`);
  }
}

/** The due time by the business calendar, company closings from the database included. */
export async function slaDue(ctx: INestApplicationContext, args: string[], _options: Options, io: CliIo): Promise<void> {
  if (args.length !== 1) throw new ValidationError('instant', 'usage: sla:due <ISO-8601 instant>');
  const received = parseInstant(args[0]);
  if (!received) throw new ValidationError('instant', `not an ISO-8601 instant: ${args[0]}`);
  const dueAt = ctx.get(BusinessCalendar).dueAtWithinCalendar(received);
  if (!dueAt) throw new ValidationError('instant', `sla:due: the instant must be from ${CALENDAR_RANGE_TEXT}, the holiday calendar's range, got ${args[0]}`);
  io.out(toJstIso(dueAt));
}

/**
 * The billing CSV of a month to stdout (UTF-8 with BOM, CRLF): one row per consult decided
 * billable and a total per member. Undecided candidates are not billed; a warning says how many.
 */
export async function usageExport(ctx: INestApplicationContext, _args: string[], options: Options, io: CliIo): Promise<void> {
  const month = required(options, 'month');
  if (!isJstMonth(month)) throw new ValidationError('month', `--month must be YYYY-MM, got ${month}`);
  const { csv, usage } = await ctx.get(BillingExportService).csv(month);
  await io.write(csv);
  const undecided = usage.candidates.filter((c) => !c.decision).length;
  if (undecided) io.warn(`warning: ${undecided} billing candidate(s) of ${month} are undecided and not in the export`);
}
