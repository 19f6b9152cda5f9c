import { DataSource } from 'typeorm';
import { BusinessCalendar, CalendarModule, CompanyHolidaysService } from '@kkd/calendar';
import { ConsultsModule, ConsultsService } from '@kkd/consults';
import { ValidationError } from '@kkd/core';
import { InboxModule, IntakeService } from '@kkd/inbox';
import { MailModule } from '@kkd/mail';
import { MemberImportService, MembershipModule } from '@kkd/membership';
import { SlaModule, SlaSweepService } from '@kkd/sla';
import { StaffModule, StaffService } from '@kkd/staff';
import { buildMail, membersCsv } from '@kkd/testing';
import { realDbModule, TestClock } from './support/real-db';

const jst = (local: string) => new Date(`${local}+09:00`);

describe('company closings on a real database', () => {
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let holidays: CompanyHolidaysService;
  let calendar: BusinessCalendar;
  beforeEach(async () => {
    db = await realDbModule([CalendarModule]);
    holidays = db.module.get(CompanyHolidaysService);
    calendar = db.module.get(BusinessCalendar);
  });
  afterEach(async () => { await db.close(); });

  it('starts with the terms\' closing 12/29–1/3 every year', async () => {
    expect(await holidays.list()).toEqual([expect.objectContaining({ startDate: '12-29', endDate: '01-03', yearly: true, reason: '年末年始休業' })]);
    expect(calendar.isBusinessDay('2030-12-30')).toBe(false);
  });

  it('moves due times when a manager adds a closing, and back when it is removed', async () => {
    const before = calendar.dueAt(jst('2026-08-07T10:00')).toISOString(); // Fri → 8/10, 8/12, 8/13 (8/11 山の日)
    expect(before).toBe(jst('2026-08-13T17:00').toISOString());
    const summer = await holidays.add({ start: '2026-08-12', end: '2026-08-14', reason: '夏季休業' });
    expect(calendar.dueAt(jst('2026-08-07T10:00')).toISOString()).toBe(jst('2026-08-18T17:00').toISOString());
    await holidays.remove(summer.id);
    expect(calendar.dueAt(jst('2026-08-07T10:00')).toISOString()).toBe(before);
  });

  it('refuses a bad date with a message naming the field, and stores nothing', async () => {
    const error = await holidays.add({ start: '2026-02-30', reason: '誤り' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('start');
    expect(await holidays.list()).toHaveLength(1);
  });
});

describe('stored due times when a manager changes the company closings', () => {
  const MEMBER = { clubId: 'CST-00123', nickname: 'ひまわり', email: 'soc@himawari.example.jp' };
  const clock = new TestClock(jst('2026-11-30T10:00'));
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let holidays: CompanyHolidaysService;
  let consults: ConsultsService;
  beforeEach(async () => {
    clock.set(jst('2026-11-30T10:00'));
    db = await realDbModule([CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule, SlaModule], { clock });
    holidays = db.module.get(CompanyHolidaysService);
    consults = db.module.get(ConsultsService);
    await db.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([MEMBER])));
    await db.module.get(StaffService).create({ email: 'expert@helpdesk.test', name: '専門 太郎', role: 'expert', password: 'expert-password-123' });
  });
  afterEach(async () => { await db.close(); });

  const receive = async (subject: string, at: string) => {
    const outcome = await db.module.get(IntakeService).accept(Buffer.from(buildMail({ from: MEMBER.email, subject }).raw), MEMBER.email, jst(at));
    return (outcome as { consultNumber: number }).consultNumber;
  };
  const dues = async (number: number) => {
    const c = await consults.get(number);
    const [message] = await db.module.get(DataSource).query('SELECT due_at FROM messages WHERE consult_id = $1 AND direction = $2', [c.id, 'inbound']) as { due_at: string | number }[];
    return { dueAt: c.dueAt?.toISOString() ?? null, firstDueAt: c.firstDueAt?.toISOString(), message: new Date(Number(message.due_at)).toISOString(), slaState: c.slaState };
  };
  const iso = (local: string) => jst(local).toISOString();

  it('moves the due time of a waiting consult, never that of an answered or past-due one, and back on removal', async () => {
    const pastDue = await receive('不審なメール', '2026-11-20T18:30'); // due Thu 11/26 17:00: passed
    const open = await receive('ランサムウェア感染の疑い', '2026-11-27T10:00'); // due Wed 12/02 17:00
    const answered = await receive('VPN機器の脆弱性', '2026-11-27T10:30'); // due Wed 12/02 17:00, answered
    await consults.reply(answered, (await db.module.get(StaffService).findByEmail('expert@helpdesk.test'))!, '確認します。');
    const before = { pastDue: await dues(pastDue), answered: await dues(answered) };
    expect(await dues(open)).toEqual({ dueAt: iso('2026-12-02T17:00'), firstDueAt: iso('2026-12-02T17:00'), message: iso('2026-12-02T17:00'), slaState: 'on_track' });

    // Closed 11/26–12/01: by the new calendar the past-due mail would be due 12/02, the answered one 12/04.
    const closing = await holidays.add({ start: '2026-11-26', end: '2026-12-01', reason: '臨時休業' });
    expect(await dues(open)).toEqual({ dueAt: iso('2026-12-04T17:00'), firstDueAt: iso('2026-12-04T17:00'), message: iso('2026-12-04T17:00'), slaState: 'on_track' });
    expect(await dues(pastDue)).toEqual(before.pastDue);
    expect(before.pastDue.slaState).toBe('breached');
    expect(await dues(answered)).toEqual(before.answered);

    // The sweep reads the stored due time: on 12/03 the open consult is on track, not breached.
    clock.set(jst('2026-12-03T10:00'));
    await db.module.get(SlaSweepService).sweep();
    expect((await dues(open)).slaState).toBe('on_track');

    clock.set(jst('2026-11-30T11:00'));
    await holidays.remove(closing.id);
    expect((await dues(open)).dueAt).toBe(iso('2026-12-02T17:00'));
    expect((await dues(open)).message).toBe(iso('2026-12-02T17:00'));
  });
});
