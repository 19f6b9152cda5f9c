import { DataSource } from 'typeorm';
import { CalendarModule } from '@kkd/calendar';
import { Consult, ConsultListQuery, ConsultRepository, ConsultsModule, OPEN_STATUSES } from '@kkd/consults';
import { InboxModule, IntakeService } from '@kkd/inbox';
import { MailModule } from '@kkd/mail';
import { MemberImportService, MembershipModule } from '@kkd/membership';
import { StaffModule, StaffService } from '@kkd/staff';
import { buildMail, membersCsv } from '@kkd/testing';
import { realDbModule, TestClock } from './support/real-db';

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
  beforeEach(async () => {
    db = await realDbModule([CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule], { clock });
    await db.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([HIMAWARI])));
    expertId = (await db.module.get(StaffService).create({ email: 'expert@helpdesk.test', name: '専門 太郎', role: 'expert' })).id;
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
});
