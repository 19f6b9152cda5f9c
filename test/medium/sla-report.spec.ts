import { CalendarModule } from '@kkd/calendar';
import { ConsultsModule, ConsultsService } from '@kkd/consults';
import { InboxModule, IntakeService } from '@kkd/inbox';
import { MailModule } from '@kkd/mail';
import { MemberImportService, MembershipModule } from '@kkd/membership';
import { SlaModule, SlaReportService } from '@kkd/sla';
import { StaffModule, StaffService } from '@kkd/staff';
import { buildMail, membersCsv } from '@kkd/testing';
import { realDbModule, TestClock } from './support/real-db';

const jst = (local: string) => new Date(`${local}+09:00`);
const MEMBER = { clubId: 'CST-00123', nickname: 'ひまわり', email: 'soc@himawari.example.jp' };

describe('SLA report on a real database', () => {
  const clock = new TestClock(jst('2026-10-30T10:00'));
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let closedUnanswered: number;
  beforeAll(async () => {
    db = await realDbModule([CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule, SlaModule], { clock });
    await db.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([MEMBER])));
    const staff = db.module.get(StaffService);
    const alice = await staff.create({ email: 'a@helpdesk.test', name: '青木', role: 'expert', password: 'expert-password-123' });
    const bob = await staff.create({ email: 'b@helpdesk.test', name: '馬場', role: 'expert', password: 'expert-password-123' });
    const consults = db.module.get(ConsultsService);
    const receive = async (subject: string, at: string) => {
      clock.set(jst(at));
      const outcome = await db.module.get(IntakeService).accept(Buffer.from(buildMail({ from: MEMBER.email, subject }).raw), MEMBER.email, jst(at));
      return (outcome as { consultNumber: number }).consultNumber;
    };
    const replyAt = async (number: number, at: string, author: typeof alice) => {
      clock.set(jst(at));
      await consults.reply(number, author, '回答です。');
    };
    await receive('10月の相談', '2026-10-30T10:00'); // October: due 11/5, never answered
    const c1 = await receive('期限内に回答', '2026-11-02T10:00'); // due 11/6 (11/3 文化の日)
    await replyAt(c1, '2026-11-04T11:00', alice); // 420 + 120 business minutes
    const c2 = await receive('期限後に回答', '2026-11-10T18:30'); // due 11/13
    await replyAt(c2, '2026-11-16T10:00', bob); // 3 × 480 + 60
    await receive('未回答のまま期限超過', '2026-11-17T09:00'); // due 11/20
    closedUnanswered = await receive('回答せずに完了', '2026-11-05T10:00'); // due 11/10
    await consults.update(closedUnanswered, { status: 'closed' }, alice);
    await receive('期限前', '2026-11-25T09:00'); // due 11/30
    clock.set(jst('2026-11-25T12:00'));
  });
  afterAll(async () => { await db.close(); });

  it('counts the month by receipt and rates decided first responses only', async () => {
    const report = await db.module.get(SlaReportService).month('2026-11');
    expect(report).toMatchObject({
      month: '2026-11', received: 5, decided: 3, onTime: 1, late: 1, overdue: 1, pending: 1, noResponse: 1, onTimeRate: 33.3,
      medianBusinessMinutes: 1020, p90BusinessMinutes: 1500, // the median of two: their mean
    });
    expect(report.breaches.map((b) => [b.subject, b.outcome])).toEqual([['期限後に回答', 'late'], ['未回答のまま期限超過', 'overdue']]);
    expect(report.byExpert).toEqual([
      { expert: '青木', responded: 1, onTime: 1, onTimeRate: 100, medianBusinessMinutes: 540, p90BusinessMinutes: 540 },
      { expert: '馬場', responded: 1, onTime: 0, onTimeRate: 0, medianBusinessMinutes: 1500, p90BusinessMinutes: 1500 },
    ]);
    expect(report.consults.find((c) => c.subject === '回答せずに完了')?.outcome).toBe('no_response');
  });

  it('trends the 12 months ending with the month', async () => {
    const { trend } = await db.module.get(SlaReportService).month('2026-11');
    expect(trend).toHaveLength(12);
    expect(trend[0]).toEqual({ month: '2025-12', received: 0, onTimeRate: null });
    expect(trend.slice(-2)).toEqual([{ month: '2026-10', received: 1, onTimeRate: 0 }, { month: '2026-11', received: 5, onTimeRate: 33.3 }]);
  });

  it('refuses a month that is not YYYY-MM', async () => {
    await expect(db.module.get(SlaReportService).month('2026-13')).rejects.toThrow('month must be YYYY-MM');
  });

  it('lets a consult closed without a reply wait again when reopened, on its own due time, until a reply answers it (late)', async () => {
    const consults = db.module.get(ConsultsService);
    const staff = (await db.module.get(StaffService).findByEmail('a@helpdesk.test'))!;
    expect(await consults.get(closedUnanswered)).toMatchObject({ dueAt: null, slaState: 'met' });

    await consults.update(closedUnanswered, { status: 'open' }, staff);
    expect(await consults.get(closedUnanswered)).toMatchObject({ status: 'open', dueAt: jst('2026-11-10T17:00'), slaState: 'breached' });
    expect(await db.module.get(SlaReportService).month('2026-11')).toMatchObject({ received: 5, decided: 4, overdue: 2, pending: 1, noResponse: 0 });

    // A category change leaves the clock alone; a reply answers the waiting mail late.
    await consults.update(closedUnanswered, { category: 'phishing' }, staff);
    expect((await consults.get(closedUnanswered)).dueAt).toEqual(jst('2026-11-10T17:00'));
    await consults.reply(closedUnanswered, staff, '遅くなりました。');
    await consults.update(closedUnanswered, { status: 'resolved' }, staff);
    await consults.update(closedUnanswered, { status: 'open' }, staff);
    expect(await consults.get(closedUnanswered)).toMatchObject({ dueAt: null, slaState: 'met_late' });
    expect(await db.module.get(SlaReportService).month('2026-11')).toMatchObject({ decided: 4, late: 2, overdue: 1, noResponse: 0 });
  });
});
