import { DataSource } from 'typeorm';
import { CalendarModule } from '@kkd/calendar';
import {
  Consult, CONSULT_STATUSES, ConsultListQuery, ConsultMergeService, ConsultRepository, ConsultsModule, ConsultsService, ConsultStatus, OPEN_STATUSES,
} from '@kkd/consults';
import { InboxModule, IntakeService } from '@kkd/inbox';
import { MailModule } from '@kkd/mail';
import { MemberImportService, MembershipModule } from '@kkd/membership';
import { StaffModule, StaffService, StaffUser } from '@kkd/staff';
import { buildMail, membersCsv } from '@kkd/testing';
import { realDbModule, runMigration, TestClock } from './support/real-db';

const jst = (local: string) => new Date(`${local}+09:00`);
const HIMAWARI = { clubId: 'CST-00123', nickname: 'ひまわり', email: 'soc@himawari.example.jp' };

/** The queue's rules written out plainly: which consults a query passes, and in which order. */
function expected(all: Consult[], q: ConsultListQuery): { numbers: number[]; total: number } {
  const passing = all.filter((c) => (!q.status || c.status === q.status) && (!q.openOnly || (OPEN_STATUSES as readonly string[]).includes(c.status))
    && (!q.category || c.category === q.category) && (!q.priority || c.priority === q.priority)
    && (q.assigneeId === undefined || c.assigneeId === q.assigneeId) && (!q.sla || c.slaState === q.sla));
  const t = (d: Date | null) => d?.getTime() ?? Number.POSITIVE_INFINITY;
  const sorted = [...passing].sort((a, b) => (q.order === 'due'
    ? t(a.dueAt) - t(b.dueAt) || a.receivedAt.getTime() - b.receivedAt.getTime() || a.id - b.id
    : q.order === 'oldest' ? a.receivedAt.getTime() - b.receivedAt.getTime() || a.id - b.id : b.receivedAt.getTime() - a.receivedAt.getTime() || b.id - a.id));
  return { numbers: sorted.slice((q.page - 1) * q.pageSize, q.page * q.pageSize).map((c) => c.number), total: passing.length };
}

describe('the queue list and its counts on a real database', () => {
  const clock = new TestClock(jst('2026-11-24T10:00'));
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let expertId: number;
  let expert: StaffUser;
  beforeEach(async () => {
    db = await realDbModule([CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule], { clock });
    await db.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([HIMAWARI])));
    expert = await db.module.get(StaffService).create({ email: 'expert@helpdesk.test', name: '専門 太郎', role: 'expert' });
    expertId = expert.id;
    for (let i = 0; i < 14; i++) {
      clock.set(new Date(jst('2026-11-24T10:00').getTime() + i * 60_000));
      await db.module.get(IntakeService).accept(Buffer.from(buildMail({ from: HIMAWARI.email, subject: `相談 ${i}`, body: `本文 ${i}` }).raw), HIMAWARI.email, clock.now());
    }
    // Varied states, with ties in receipt and due times so that the id decides.
    const sql = db.module.get(DataSource);
    await sql.query(`UPDATE consults SET received_at = ${jst('2026-11-24T09:00').getTime()} WHERE number IN (3, 4, 5)`);
    await sql.query(`UPDATE consults SET status = 'closed', due_at = NULL WHERE number IN (1, 2, 6, 9)`);
    await sql.query(`UPDATE consults SET due_at = ${jst('2026-11-30T12:00').getTime()} WHERE number IN (7, 8, 10)`);
    await sql.query(`UPDATE consults SET assignee_id = ${expertId} WHERE number IN (2, 4, 7, 11, 12)`);
    await sql.query(`UPDATE consults SET category = 'ransomware', priority = 'urgent' WHERE number IN (4, 6, 8, 13)`);
    await sql.query(`UPDATE consults SET sla_state = 'at_risk' WHERE number IN (7, 11, 14)`);
    await sql.query(`UPDATE consults SET sla_state = 'breached' WHERE number IN (3, 10)`);
  });
  afterEach(async () => { await db.close(); });

  const repo = () => db.module.get(ConsultRepository);
  const all = () => db.module.get(DataSource).getRepository(Consult).find();

  it.each<[string, Partial<ConsultListQuery>]>([
    ['すべて newest', { order: 'newest' }],
    ['すべて oldest, page 2 of 4', { order: 'oldest', page: 2, pageSize: 4 }],
    ['すべて newest, the last page', { order: 'newest', page: 4, pageSize: 4 }],
    ['すべて due (waiting for nobody last)', { order: 'due' }],
    ['mine', { assigneeId: 0, openOnly: true, order: 'due' }],
    ['unassigned', { assigneeId: null, openOnly: true, order: 'due' }],
    ['at risk', { sla: 'at_risk', order: 'due' }],
    ['breached', { sla: 'breached', order: 'due' }],
    ['category + priority, due', { category: 'ransomware', priority: 'urgent', order: 'due' }],
    ['status closed, newest', { status: 'closed', order: 'newest' }],
    ['status new, due', { status: 'new', order: 'due' }],
    ['open statuses only', { openOnly: true, order: 'newest' }],
    ['open statuses and status closed (none)', { openOnly: true, status: 'closed', order: 'newest' }],
    ['status closed and a category (counted, not kept)', { status: 'closed', category: 'ransomware', order: 'newest' }],
    ['a page past the end', { order: 'newest', page: 9, pageSize: 4 }],
  ])('lists %s: the same consults, order and total as the rules say', async (_name, partial) => {
    const query: ConsultListQuery = { page: 1, pageSize: 50, order: 'newest', ...partial, ...(partial.assigneeId === 0 ? { assigneeId: expertId } : {}) };
    const { items, total } = await repo().list(query);
    expect({ numbers: items.map((c) => c.number), total }).toEqual(expected(await all(), query));
    expect(items.filter((c) => c.assigneeId === expertId).every((c) => c.assignee?.name === '専門 太郎')).toBe(true);
    expect(items.every((c) => c.member?.nickname === 'ひまわり')).toBe(true);
  });

  it('counts every consult exactly as consults are added and removed', async () => {
    expect((await repo().list({ page: 1, pageSize: 5, order: 'newest' })).total).toBe(14);
    expect(await repo().queueCounts(expertId)).toEqual({ mine: 4, unassigned: 6, atRisk: 3, breached: 2, all: 14 });

    clock.set(jst('2026-11-25T10:00'));
    await db.module.get(IntakeService).accept(Buffer.from(buildMail({ from: HIMAWARI.email, subject: '新しい相談', body: '本文' }).raw), HIMAWARI.email, clock.now());
    await db.module.get(DataSource).query('DELETE FROM consults WHERE number IN (1, 2)');

    expect((await repo().queueCounts(expertId)).all).toBe(13);
    expect((await repo().list({ page: 1, pageSize: 5, order: 'newest' })).total).toBe(13);
    expect((await repo().list({ page: 1, pageSize: 5, order: 'newest' })).total).toBe((await all()).length);
  });

  describe('the totals of status-only filters, kept per status by triggers', () => {
    const sql = () => db.module.get(DataSource);
    const postgres = () => db.config.databaseKind === 'postgres';
    /** COUNT(*) per status over the rows themselves. */
    const counted = async () => {
      const rows: { status: ConsultStatus; n: number | string }[] = await sql().query('SELECT status, COUNT(*) AS n FROM consults GROUP BY status');
      return Object.fromEntries(CONSULT_STATUSES.map((s) => [s, Number(rows.find((r) => r.status === s)?.n ?? 0)]));
    };
    /** Each status, the open ones together and the list's totals must all agree with the rows. */
    const expectExact = async () => {
      const byStatus = await counted();
      const kept = Object.fromEntries(await Promise.all(CONSULT_STATUSES.map(async (s) => [s, await repo().statusTotal([s])])));
      expect(kept).toEqual(byStatus);
      const open = OPEN_STATUSES.reduce((n, s) => n + byStatus[s], 0);
      expect(await repo().statusTotal(OPEN_STATUSES)).toBe(open);
      const listed = async (q: Partial<ConsultListQuery>) => (await repo().list({ page: 1, pageSize: 2, order: 'newest', ...q })).total;
      expect(await listed({ openOnly: true })).toBe(open);
      for (const s of CONSULT_STATUSES) expect([s, await listed({ status: s })]).toEqual([s, byStatus[s]]);
      return byStatus;
    };
    const migration = (step: 'up' | 'down') => runMigration(sql(), 'StatusCounts1765500000000', step);
    const pendingDeltas = async () => Number((await sql().query('SELECT COUNT(*) AS n FROM consult_status_deltas'))[0].n);

    it('stays exact through intake, status changes, merges, a rolled-back change and deletes', async () => {
      expect(await expectExact()).toEqual({ new: 10, open: 0, waiting_member: 0, resolved: 0, closed: 4 });
      const consults = db.module.get(ConsultsService);
      await consults.update(3, { status: 'open' }, expert);
      await consults.update(4, { status: 'resolved' }, expert);
      await consults.update(5, { status: 'waiting_member' }, expert);
      await consults.update(3, { status: 'open', category: 'malware' }, expert); // the same status: nothing moves
      await consults.update(4, { status: 'closed' }, expert);
      expect(await expectExact()).toEqual({ new: 7, open: 1, waiting_member: 1, resolved: 0, closed: 5 });

      // A merge closes the duplicate; the target's status follows its thread.
      await db.module.get(ConsultMergeService).merge(11, 5, '重複', expert);
      // Member mail reopens a closed consult (a new intake when it does not reply to one).
      clock.set(jst('2026-11-25T10:00'));
      await db.module.get(IntakeService).accept(Buffer.from(buildMail({ from: HIMAWARI.email, subject: '新しい相談', body: '本文' }).raw), HIMAWARI.email, clock.now());
      // One statement moving several rows between statuses, and a change rolled back.
      await sql().query(`UPDATE consults SET status = CASE WHEN status = 'new' THEN 'resolved' ELSE 'new' END WHERE number IN (6, 7, 8, 12)`);
      await expect(sql().transaction(async (em) => {
        await em.query("UPDATE consults SET status = 'open' WHERE number IN (1, 2)");
        throw new Error('undone');
      })).rejects.toThrow('undone');
      await sql().query('DELETE FROM consults WHERE number IN (1, 7, 13)');
      const after = await expectExact();
      expect(Object.values(after).reduce((a, b) => a + b, 0)).toBe(12);
      expect(after.closed).toBe(4); // 2, 4, 9, 11 (merged); 1 deleted, 6 reopened as new
    });

    it('stays exact across many single changes (PostgreSQL: their delta rows folded by the reader)', async () => {
      const columns = sql().getMetadata(Consult).columns.map((c) => c.databaseName).filter((c) => c !== 'id' && c !== 'number').join(', ');
      const cycle: ConsultStatus[] = ['open', 'waiting_member', 'resolved', 'closed', 'new'];
      // One statement each: on PostgreSQL, more delta rows than the reader lets pile up before folding.
      for (let i = 0; i < 260; i++) {
        await sql().query(`UPDATE consults SET status = '${cycle[i % 5]}' WHERE number = ${3 + (i % 11)}`);
        if (i % 4 === 0) await sql().query(`INSERT INTO consults (number, ${columns}) SELECT ${100 + i}, ${columns} FROM consults WHERE number = ${3 + (i % 11)}`);
        if (i % 12 === 6) await sql().query(`DELETE FROM consults WHERE number = ${100 + i - 6}`);
      }
      if (postgres()) expect(await pendingDeltas()).toBeGreaterThanOrEqual(500);
      await expectExact();
      if (postgres()) expect(await pendingDeltas()).toBe(0);
      await sql().query("UPDATE consults SET status = 'resolved' WHERE number IN (3, 4)");
      await sql().query('DELETE FROM consults WHERE number = 5');
      await expectExact();
    });

    it('fills the counts from the stored consults when the migration runs again (down, changes, up)', async () => {
      await db.module.get(ConsultsService).update(3, { status: 'open' }, expert);
      await migration('down');
      // Written while no trigger counts: the fill must see them.
      await sql().query("UPDATE consults SET status = 'resolved' WHERE number IN (4, 5)");
      await sql().query('DELETE FROM consults WHERE number IN (1, 14)');
      await migration('up');
      expect(await expectExact()).toEqual({ new: 6, open: 1, waiting_member: 0, resolved: 2, closed: 3 });
      await db.module.get(ConsultsService).update(3, { status: 'closed' }, expert);
      await sql().query('DELETE FROM consults WHERE number = 2');
      expect(await expectExact()).toEqual({ new: 6, open: 0, waiting_member: 0, resolved: 2, closed: 3 });
    });
  });
});
