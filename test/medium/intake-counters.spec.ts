import { DataSource } from 'typeorm';
import { CalendarModule } from '@kkd/calendar';
import { Consult, ConsultRepository, ConsultsModule } from '@kkd/consults';
import { TransactionRunner } from '@kkd/core';
import { InboxModule, IntakeService } from '@kkd/inbox';
import { MailModule } from '@kkd/mail';
import { MemberImportService, MembershipModule } from '@kkd/membership';
import { StaffModule } from '@kkd/staff';
import { buildMail, membersCsv } from '@kkd/testing';
import { realDbModule, runMigration, TestClock } from './support/real-db';

const jst = (local: string) => new Date(`${local}+09:00`);
const HIMAWARI = { clubId: 'CST-00123', nickname: 'ひまわり', email: 'soc@himawari.example.jp' };
const LIBS = [CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule];

/**
 * Issue 8, several instances taking mail at once: the consult number and the queue's total must
 * not make intakes wait for each other's commit on PostgreSQL, and must stay right.
 */
describe('the consult number and the total of consults under concurrent intake', () => {
  const clock = new TestClock(jst('2026-11-24T10:00'));
  let a: Awaited<ReturnType<typeof realDbModule>>;
  beforeEach(async () => {
    a = await realDbModule(LIBS, { clock });
    await a.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([HIMAWARI])));
  });
  afterEach(async () => { await a.close(); });

  const sql = () => a.module.get(DataSource);
  const postgres = () => a.config.databaseKind === 'postgres';
  const intake = (db: typeof a, i: number) => db.module.get(IntakeService)
    .accept(Buffer.from(buildMail({ from: HIMAWARI.email, subject: `相談 ${i}`, body: `本文 ${i}` }).raw), HIMAWARI.email, clock.now());
  const numbers = async () => ((await sql().query('SELECT number FROM consults ORDER BY number')) as { number: number | string }[]).map((r) => Number(r.number));
  const opened = async (db: typeof a, i: number) => {
    const outcome = await intake(db, i);
    if (outcome.kind !== 'consult_opened') throw new Error(`mail ${i}: ${outcome.kind}`);
    return outcome.consultNumber;
  };
  /** The migration that moved the number to a sequence, run by hand on the live database. */
  const migration = (step: 'up' | 'down') => runMigration(sql(), 'IntakeCounters1765480000000', step);

  it('numbers on from the existing data after the migration (the counter, or the highest number if higher)', async () => {
    for (let i = 1; i <= 3; i++) await opened(a, i);
    await migration('down');
    expect(Number((await sql().query("SELECT value FROM counters WHERE name = 'consult_number'"))[0].value)).toBe(3);
    // Numbered further elsewhere (an older release, an import): the counter says 40.
    await sql().query("UPDATE counters SET value = 40 WHERE name = 'consult_number'");
    await migration('up');
    expect(await opened(a, 4)).toBe(41);
    if (postgres()) {
      expect(await sql().query("SELECT value FROM counters WHERE name = 'consult_number'")).toEqual([]);
      // A counter behind the stored numbers must not hand out a number again.
      await migration('down');
      await sql().query("UPDATE counters SET value = 0 WHERE name = 'consult_number'");
      await migration('up');
      expect(await opened(a, 5)).toBe(42);
    }
    expect(await numbers()).toEqual(postgres() ? [1, 2, 3, 41, 42] : [1, 2, 3, 41]);
  });

  it('gives each consult its own number when two instances take mail at once, and counts them exactly', async () => {
    const b = await realDbModule(LIBS, { sameDatabaseAs: a.config, clock });
    try {
      const got = await Promise.all(Array.from({ length: 30 }, (_, i) => opened(i % 2 ? b : a, i)));
      expect([...got].sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(await numbers()).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(await a.module.get(ConsultRepository).total()).toBe(30);
      expect(await b.module.get(ConsultRepository).total()).toBe(30);

      await sql().query('DELETE FROM consults WHERE number IN (2, 3, 5)');
      await Promise.all([opened(a, 31), opened(b, 32)]);
      expect(await a.module.get(ConsultRepository).total()).toBe(29);
      expect(await numbers()).toEqual(Array.from({ length: 32 }, (_, i) => i + 1).filter((n) => ![2, 3, 5].includes(n)));
    } finally {
      await b.close();
    }
  });

  it('keeps the total exact through many separate inserts and deletes (PostgreSQL: with its changes folded in)', async () => {
    for (let i = 1; i <= 3; i++) await opened(a, i);
    const repo = a.module.get(ConsultRepository);
    const columns = sql().getMetadata(Consult).columns.map((c) => c.databaseName).filter((c) => c !== 'id' && c !== 'number').join(', ');
    // One statement each: on PostgreSQL, more change rows than the reader lets pile up before folding.
    for (let n = 100; n < 500; n++) {
      await sql().query(`INSERT INTO consults (number, ${columns}) SELECT ${n}, ${columns} FROM consults WHERE number = 1`);
      if (n % 3 === 0) await sql().query(`DELETE FROM consults WHERE number = ${n}`);
    }
    await sql().query('DELETE FROM consults WHERE number IN (1, 2, 999)');
    const count = async () => Number((await sql().query('SELECT COUNT(*) AS n FROM consults'))[0].n);
    expect(await count()).toBe(268);
    expect(await repo.total()).toBe(268);
    if (postgres()) {
      expect(Number((await sql().query('SELECT COUNT(*) AS n FROM consults_total_deltas'))[0].n)).toBe(0);
      await opened(a, 4);
      expect(await repo.total()).toBe(269);
    }
  });

  it('hands out a number while another intake has not committed (PostgreSQL: a rolled-back number is not reused)', async () => {
    const repo = a.module.get(ConsultRepository);
    if (!postgres()) {
      // SQLite writes one transaction at a time and keeps the counter row, rolled back with the intake.
      await expect(a.module.get(TransactionRunner).run(async (em) => { await repo.nextNumber(em); throw new Error('undone'); })).rejects.toThrow('undone');
      expect(await a.module.get(TransactionRunner).run((em) => repo.nextNumber(em))).toBe(1);
      return;
    }
    let undo!: () => void;
    const undone = new Promise<void>((resolve) => { undo = resolve; });
    let taken!: (n: number) => void;
    const first = new Promise<number>((resolve) => { taken = resolve; });
    const open = sql().transaction(async (em) => {
      taken(await repo.nextNumber(em));
      await undone;
      throw new Error('undone');
    });
    const n = await first;
    // With the old counter row this waited for the open transaction's end.
    let timer!: NodeJS.Timeout;
    const waited = new Promise<'waited'>((resolve) => { timer = setTimeout(() => resolve('waited'), 3000); });
    expect(await Promise.race([sql().transaction((em) => repo.nextNumber(em)), waited])).toBe(n + 1);
    clearTimeout(timer);
    undo();
    await expect(open).rejects.toThrow('undone');
    expect(await sql().transaction((em) => repo.nextNumber(em))).toBe(n + 2);
  });
});
