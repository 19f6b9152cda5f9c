import { DataSource } from 'typeorm';
import { AssignmentModule, AssignmentService } from '@kkd/assignment';
import { CalendarModule } from '@kkd/calendar';
import { ConsultMergeService, ConsultsModule, ConsultsService } from '@kkd/consults';
import { InboxModule, IntakeService } from '@kkd/inbox';
import { MailModule } from '@kkd/mail';
import { MemberImportService, MembershipModule } from '@kkd/membership';
import { SlaModule, SlaSweepService } from '@kkd/sla';
import { AbsenceService, StaffModule, StaffService } from '@kkd/staff';
import { buildMail, membersCsv } from '@kkd/testing';
import { realDbModule, TestClock } from './support/real-db';

const jst = (local: string) => new Date(`${local}+09:00`);
const LIBS = [CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule, SlaModule, AssignmentModule];
const MEMBER = { clubId: 'CST-00123', nickname: 'ひまわり', email: 'soc@himawari.example.jp' };

describe('SLA sweep on a real database, two server processes', () => {
  const clock = new TestClock(jst('2026-11-20T18:30'));
  let a: Awaited<ReturnType<typeof realDbModule>>;
  let b: Awaited<ReturnType<typeof realDbModule>>;

  beforeEach(async () => {
    clock.set(jst('2026-11-20T18:30'));
    a = await realDbModule(LIBS, { clock });
    b = await realDbModule(LIBS, { clock, sameDatabaseAs: a.config });
    await a.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([MEMBER])));
    const staff = a.module.get(StaffService);
    await staff.create({ email: 'expert@helpdesk.test', name: '専門 太郎', role: 'expert', password: 'expert-password-123' });
    await staff.create({ email: 'manager@helpdesk.test', name: '管理 花子', role: 'manager', password: 'manager-password-123' });
  });
  afterEach(async () => {
    await b.close();
    await a.close();
  });

  const receive = async (subject: string, at: string) => {
    clock.set(jst(at));
    const outcome = await a.module.get(IntakeService).accept(Buffer.from(buildMail({ from: MEMBER.email, subject }).raw), MEMBER.email, jst(at));
    return (outcome as { consultNumber: number }).consultNumber;
  };
  const sweepBoth = async (at: string) => {
    clock.set(jst(at));
    const results = await Promise.all([a.module.get(SlaSweepService).sweep(), b.module.get(SlaSweepService).sweep()]);
    return results.reduce((sum, r) => sum + r.warned, 0);
  };
  const notices = async () => (await a.module.get(DataSource).query(
    "SELECT to_address, subject FROM outbound_mails WHERE kind = 'notice' ORDER BY id",
  )) as { to_address: string; subject: string }[];
  const stateOf = async (number: number) => (await a.module.get(ConsultsService).get(number)).slaState;

  it('does not warn again for a message whose warning was sent before its consult was merged', async () => {
    const duplicate = await receive('不審なメール', '2026-11-20T18:30'); // due Thu 11/26 17:00
    const target = await receive('不審なメールの件（続報）', '2026-11-20T19:00'); // the same due time
    await a.module.get(ConsultsService).reply(target, (await a.module.get(StaffService).findByEmail('expert@helpdesk.test'))!, '確認します。');
    expect(await sweepBoth('2026-11-26T09:30')).toBe(1); // the duplicate is at risk, the target answered
    const manager = (await a.module.get(StaffService).findByEmail('manager@helpdesk.test'))!;
    await a.module.get(ConsultMergeService).merge(duplicate, target, '同じ件の続報', manager);
    expect(await stateOf(target)).toBe('at_risk'); // the moved message still waits
    expect(await sweepBoth('2026-11-26T10:00')).toBe(0);
    expect(await sweepBoth('2026-11-26T17:00:01')).toBe(1); // breached: a warning of its own
    expect((await notices()).map((n) => n.subject)).toEqual([
      `【期限間近】[KKD#${duplicate}] 不審なメール`, `【期限超過】[KKD#${target}] 不審なメールの件（続報）`,
    ]);
  });

  it('sends at-risk to the assignee and breached to the managers, each exactly once', async () => {
    const number = await receive('ランサムウェア感染の疑い', '2026-11-20T18:30'); // due Thu 11/26 17:00
    await a.module.get(AssignmentService).claim(number, (await a.module.get(StaffService).findByEmail('expert@helpdesk.test'))!);

    expect(await sweepBoth('2026-11-25T10:00')).toBe(0); // 15 business hours left
    expect(await stateOf(number)).toBe('on_track');

    expect(await sweepBoth('2026-11-26T09:30')).toBe(1); // 7.5 business hours left: at risk
    expect(await sweepBoth('2026-11-26T12:00')).toBe(0);
    expect(await stateOf(number)).toBe('at_risk');

    expect(await sweepBoth('2026-11-26T17:00:01')).toBe(1); // past due
    expect(await sweepBoth('2026-11-27T10:00')).toBe(0);
    expect(await stateOf(number)).toBe('breached');

    expect(await notices()).toEqual([
      { to_address: 'expert@helpdesk.test', subject: `【期限間近】[KKD#${number}] ランサムウェア感染の疑い` },
      { to_address: 'manager@helpdesk.test', subject: `【期限超過】[KKD#${number}] ランサムウェア感染の疑い` },
    ]);
  });

  it('offers an at-risk consult of an absent assignee to the managers instead', async () => {
    const number = await receive('ランサムウェア感染の疑い', '2026-11-20T18:30'); // due Thu 11/26 17:00
    const expert = (await a.module.get(StaffService).findByEmail('expert@helpdesk.test'))!;
    await a.module.get(AssignmentService).claim(number, expert);
    await a.module.get(AbsenceService).add(expert.id, '2026-11-26', '2026-11-27', '休暇');
    expect(await sweepBoth('2026-11-26T09:30')).toBe(1);
    const [notice] = await a.module.get(DataSource).query("SELECT to_address, body_text FROM outbound_mails WHERE kind = 'notice'");
    expect(notice.to_address).toBe('manager@helpdesk.test');
    expect(notice.body_text).toContain('担当: 専門 太郎（不在: 2026-11-27 まで）');
    expect(notice.body_text).toContain('「担当の変更」から再割当してください');
  });

  it('warns the managers when nobody is assigned, and stops once a reply answers the consult', async () => {
    const number = await receive('不審なログイン', '2026-11-24T10:00'); // due Fri 11/27 17:00
    expect(await sweepBoth('2026-11-27T10:00')).toBe(1);
    expect((await notices()).map((n) => n.to_address)).toEqual(['manager@helpdesk.test']);

    clock.set(jst('2026-11-27T11:00'));
    const expert = (await a.module.get(StaffService).findByEmail('expert@helpdesk.test'))!;
    await a.module.get(ConsultsService).reply(number, expert, 'パスワードを変更してください。');
    expect(await stateOf(number)).toBe('met');
    expect(await sweepBoth('2026-11-30T10:00')).toBe(0);

    // The member writes again: a new due time, and its own warnings.
    await receive(`Re: [KKD#${number}] 不審なログイン`, '2026-11-30T10:00');
    expect(await stateOf(number)).toBe('on_track');
    expect(await sweepBoth('2026-12-03T17:30')).toBe(1); // breached (at-risk is not sent after the fact)
    expect((await notices()).map((n) => n.subject)).toEqual([`【期限間近】[KKD#${number}] 不審なログイン`, `【期限超過】[KKD#${number}] 不審なログイン`]);
    // The warning explains the due time of the follow-up, not of the first mail.
    const [last] = await a.module.get(DataSource).query("SELECT body_text FROM outbound_mails WHERE kind = 'notice' ORDER BY id DESC LIMIT 1");
    expect(last.body_text).toContain('受付 11/30(月) → 営業日 12/1, 12/2, 12/3 → 期限 12/3 17:00');
  });
});
