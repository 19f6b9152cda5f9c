import fs from 'fs';
import path from 'path';
import { DataSource } from 'typeorm';
import { DataFiles } from '@kkd/core';
import { CalendarModule } from '@kkd/calendar';
import { ConsultsModule, ConsultsService } from '@kkd/consults';
import { HeldMailService, InboxModule, IntakeService, RetentionJob, RetentionService } from '@kkd/inbox';
import { MailModule } from '@kkd/mail';
import { MemberImportService, MembershipModule } from '@kkd/membership';
import { StaffModule, StaffService, StaffUser } from '@kkd/staff';
import { buildMail, membersCsv } from '@kkd/testing';
import { realDbModule, runMigration, TestClock } from './support/real-db';

const jst = (local: string) => new Date(`${local}+09:00`);
const HIMAWARI = { clubId: 'CST-00123', nickname: 'ひまわり', email: 'soc@himawari.example.jp' };
const LIBS = [CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule];
const SHARED = Buffer.from('2026-05-30 10:00:01 sshd failed password for root from 203.0.113.9\n');

describe('retention period on a real database and DATA_DIR', () => {
  const clock = new TestClock(jst('2026-06-01T10:00'));
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let expert: StaffUser;

  const start = async (env: Record<string, string>) => {
    db = await realDbModule(LIBS, { clock, env });
    await db.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([HIMAWARI])));
    expert = await db.module.get(StaffService).create({ email: 'expert@helpdesk.test', name: '専門 太郎', role: 'expert' });
  };
  beforeEach(() => clock.set(jst('2026-06-01T10:00')));
  afterEach(async () => { await db.close(); });

  const sql = <T>(query: string, params: unknown[] = []) => db.module.get(DataSource).query(query, params) as Promise<T[]>;
  const onDisk = (relative: string) => fs.existsSync(path.join(db.config.DATA_DIR, relative));
  const receive = async (at: string, subject: string, attachment?: { filename: string; content: Buffer }, from = HIMAWARI.email) => {
    clock.set(jst(at));
    const mail = buildMail({ from, subject, body: `${subject}の件です。`, attachment });
    const outcome = await db.module.get(IntakeService).accept(Buffer.from(mail.raw), from, jst(at));
    return (outcome as { consultNumber?: number }).consultNumber ?? null;
  };
  const setStatus = async (number: number, at: string, status: 'closed' | 'resolved') => {
    clock.set(jst(at));
    await db.module.get(ConsultsService).update(number, { status }, expert);
  };
  /** Files written months ago, as in real life (the test's clock is fake, file times are real). */
  const ageFiles = () => {
    for (const f of fs.readdirSync(db.config.DATA_DIR, { recursive: true }).map(String)) {
      const full = path.join(db.config.DATA_DIR, f);
      if (fs.statSync(full).isFile()) fs.utimesSync(full, new Date('2026-01-01'), new Date('2026-01-01'));
    }
  };
  /** The stored files of a consult's messages, as rows say. */
  const filesOf = async (number: number) => {
    const { thread } = await db.module.get(ConsultsService).detail(number);
    return {
      raw: thread.map((m) => ({ path: m.rawPath!, deletedAt: m.rawDeletedAt })),
      attachments: thread.flatMap((m) => m.attachments.map((a) => ({ id: a.id, path: a.storagePath, deletedAt: a.deletedAt }))),
      texts: thread.map((m) => m.text),
    };
  };

  it('deletes the files of consults closed longer ago than the period, keeps shared, open, resolved and held ones, and a second run changes nothing', async () => {
    await start({ RETENTION_DAYS: '30' });
    const old = await receive('2026-06-01T10:00', '古い相談', { filename: 'only-old.log', content: Buffer.from('only in the old consult\n') });
    const oldShared = await receive('2026-06-01T11:00', '古い相談（共有ログ）', { filename: 'auth.log', content: SHARED });
    const open = await receive('2026-06-01T12:00', 'まだ対応中', { filename: 'open.log', content: Buffer.from('open consult file\n') });
    const resolved = await receive('2026-06-01T13:00', '解決済みのまま', { filename: 'resolved.log', content: Buffer.from('resolved consult file\n') });
    expect(await receive('2026-06-01T14:00', '非会員から', undefined, 'someone@unknown.example.com')).toBeNull(); // held
    await setStatus(old!, '2026-06-02T10:00', 'closed');
    await setStatus(oldShared!, '2026-06-02T10:00', 'closed');
    await setStatus(resolved!, '2026-06-02T10:00', 'resolved');
    // A newer consult carries the same bytes (the same file on disk) and was closed within the period.
    const newer = await receive('2026-08-20T10:00', '同じログをもう一度', { filename: 'auth-again.log', content: SHARED });
    await setStatus(newer!, '2026-08-21T10:00', 'closed');

    const before = { old: await filesOf(old!), oldShared: await filesOf(oldShared!), open: await filesOf(open!), resolved: await filesOf(resolved!), newer: await filesOf(newer!) };
    const [held] = await sql<{ raw_path: string }>('SELECT raw_path FROM held_mails');
    const sharedPath = before.oldShared.attachments[0].path;
    expect(before.newer.attachments[0].path).toBe(sharedPath);
    const consultsBefore = await sql('SELECT * FROM consults ORDER BY id');
    const usageBefore = await sql('SELECT * FROM usage_decisions ORDER BY consult_id');

    clock.set(jst('2026-09-01T03:00')); // 30 days before: 2026-08-02
    ageFiles();
    await db.module.get(RetentionJob).tick();

    const after = { old: await filesOf(old!), oldShared: await filesOf(oldShared!), open: await filesOf(open!), resolved: await filesOf(resolved!), newer: await filesOf(newer!) };
    // The old closed consult: its attachment and raw source are gone from disk and marked.
    expect(onDisk(before.old.attachments[0].path)).toBe(false);
    expect(onDisk(before.old.raw[0].path)).toBe(false);
    expect(after.old.attachments[0].deletedAt).toEqual(jst('2026-09-01T03:00'));
    expect(after.old.raw[0].deletedAt).toEqual(jst('2026-09-01T03:00'));
    // The shared file: the old consult's row is marked, the file stays for the newer consult.
    expect(after.oldShared.attachments[0].deletedAt).toEqual(jst('2026-09-01T03:00'));
    expect(onDisk(sharedPath)).toBe(true);
    expect(after.newer.attachments[0].deletedAt).toBeNull();
    expect(after.newer.raw[0].deletedAt).toBeNull();
    expect(onDisk(after.newer.raw[0].path)).toBe(true);
    // Open and resolved consults and held mail keep everything.
    for (const kept of [after.open, after.resolved]) {
      expect(kept.attachments.map((a) => [a.deletedAt, onDisk(a.path)])).toEqual([[null, true]]);
      expect(kept.raw.map((r) => [r.deletedAt, onDisk(r.path)])).toEqual([[null, true]]);
    }
    expect(onDisk(held.raw_path)).toBe(true);
    // The consults (status, SLA, usage figures) and every message's text are as they were.
    expect(await sql('SELECT * FROM consults ORDER BY id')).toEqual(consultsBefore);
    expect(await sql('SELECT * FROM usage_decisions ORDER BY consult_id')).toEqual(usageBefore);
    for (const k of Object.keys(before) as (keyof typeof before)[]) expect(after[k].texts).toEqual(before[k].texts);
    // Audited once, with the counts.
    const audit = await sql<{ action: string; actor_email: string | null; details: string }>("SELECT action, actor_email, details FROM audit_log WHERE action = 'retention.deleted'");
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].details)).toMatchObject({ consults: 2, attachments: 2, rawSources: 2, filesDeleted: 3, filesKept: 1 });
    expect(db.module.get(RetentionService).totals).toEqual(new Map([['attachment', 2], ['raw_source', 2], ['file', 3]]));

    // A second run the same day finds nothing: no row, file or audit entry changes.
    const files = () => fs.readdirSync(db.config.DATA_DIR, { recursive: true }).map(String).sort();
    const onDiskBefore = files();
    clock.set(jst('2026-09-01T04:00'));
    expect(await db.module.get(RetentionService).purge()).toEqual({ consults: 0, attachments: 0, rawSources: 0, filesDeleted: 0, filesKept: 0 });
    expect(files()).toEqual(onDiskBefore);
    expect(await filesOf(old!)).toEqual(after.old);
    expect(await sql("SELECT id FROM audit_log WHERE action = 'retention.deleted'")).toHaveLength(1);

    // Once the newer consult passes the period too, nothing names the shared file any more.
    clock.set(jst('2026-09-21T03:00'));
    ageFiles();
    expect(await db.module.get(RetentionService).purge()).toMatchObject({ consults: 1, attachments: 1, rawSources: 1, filesDeleted: 2, filesKept: 0 });
    expect(onDisk(sharedPath)).toBe(false);
    expect(files().some((f) => f.endsWith('.expired'))).toBe(false);
  });

  it('keeps the raw source a held mail shares with the consult it became', async () => {
    await start({ RETENTION_DAYS: '30' });
    expect(await receive('2026-06-01T10:00', '個人アドレスから', undefined, 'tanaka@gmail.example.com')).toBeNull();
    const [held] = await sql<{ id: number; raw_path: string }>('SELECT id, raw_path FROM held_mails');
    clock.set(jst('2026-06-01T11:00'));
    const number = await db.module.get(HeldMailService).attach(held.id, HIMAWARI.clubId, { id: expert.id, email: expert.email });
    await setStatus(number, '2026-06-02T10:00', 'closed');
    expect((await filesOf(number)).raw[0].path).toBe(held.raw_path);

    clock.set(jst('2026-09-01T03:00'));
    ageFiles();
    expect(await db.module.get(RetentionService).purge()).toEqual({ consults: 1, attachments: 0, rawSources: 1, filesDeleted: 0, filesKept: 1 });
    expect((await filesOf(number)).raw[0].deletedAt).toEqual(jst('2026-09-01T03:00'));
    expect(onDisk(held.raw_path)).toBe(true);
    expect((await db.module.get(HeldMailService).raw(held.id)).length).toBeGreaterThan(0);
  });

  it('keeps a file that a mail being taken in reuses (same bytes, not committed yet)', async () => {
    await start({ RETENTION_DAYS: '30' });
    const old = await receive('2026-06-01T10:00', '古い相談', { filename: 'auth.log', content: SHARED });
    await setStatus(old!, '2026-06-02T10:00', 'closed');
    const [attachment] = (await filesOf(old!)).attachments;
    ageFiles();
    // The intake stores the attachment of a new mail before its transaction commits.
    expect((await db.module.get(DataFiles).saveContent(SHARED)).storagePath).toBe(attachment.path);
    clock.set(jst('2026-09-01T03:00'));
    expect(await db.module.get(RetentionService).purge()).toMatchObject({ consults: 1, attachments: 1, filesKept: 1 });
    expect(onDisk(attachment.path)).toBe(true);
  });

  it('migrates down and up again on a database with data', async () => {
    await start({});
    await receive('2026-06-01T10:00', '古い相談', { filename: 'a.log', content: Buffer.from('a\n') });
    const ds = db.module.get(DataSource);
    await runMigration(ds, 'Retention1765535000000', 'down');
    expect(await sql('SELECT filename FROM attachments')).toEqual([{ filename: 'a.log' }]);
    await runMigration(ds, 'Retention1765535000000', 'up');
    expect(await sql('SELECT deleted_at FROM attachments')).toEqual([{ deleted_at: null }]);
  });

  it('does nothing without RETENTION_DAYS (the default keeps everything forever)', async () => {
    await start({});
    const old = await receive('2026-06-01T10:00', '古い相談', { filename: 'only-old.log', content: Buffer.from('kept forever\n') });
    await setStatus(old!, '2026-06-02T10:00', 'closed');
    clock.set(jst('2036-06-01T10:00'));
    await db.module.get(RetentionJob).tick();
    const files = await filesOf(old!);
    expect(files.attachments.map((a) => [a.deletedAt, onDisk(a.path)])).toEqual([[null, true]]);
    expect(files.raw.map((r) => [r.deletedAt, onDisk(r.path)])).toEqual([[null, true]]);
  });
});
