import { DataSource } from 'typeorm';
import { AssignmentModule, AssignmentService } from '@kkd/assignment';
import { CalendarModule } from '@kkd/calendar';
import { ConsultsModule } from '@kkd/consults';
import { InboxModule, IntakeService } from '@kkd/inbox';
import { MailModule } from '@kkd/mail';
import { MemberImportService, MembershipModule } from '@kkd/membership';
import { SlaModule, SlaSweepService } from '@kkd/sla';
import { StaffModule, StaffService } from '@kkd/staff';
import { buildMail, membersCsv } from '@kkd/testing';
import { realDbModule, TestClock } from './support/real-db';

const jst = (local: string) => new Date(`${local}+09:00`);
const LIBS = [CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule, SlaModule, AssignmentModule];
const MEMBER = { clubId: 'CST-00123', nickname: 'ひまわり', email: 'soc@himawari.example.jp', company: 'ひまわり精機株式会社' };
// The member names their company and contact in the subject, as members do.
const SUBJECT = 'ひまわり精機株式会社 山田です ランサムウェア感染の疑い';

describe('SLA warnings hide the member from experts', () => {
  const clock = new TestClock(jst('2026-11-20T18:30'));
  let db: Awaited<ReturnType<typeof realDbModule>>;

  beforeEach(async () => {
    clock.set(jst('2026-11-20T18:30'));
    db = await realDbModule(LIBS, { clock });
    await db.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([MEMBER])));
    const staff = db.module.get(StaffService);
    await staff.create({ email: 'expert@helpdesk.test', name: '専門 太郎', role: 'expert', password: 'expert-password-123' });
    await staff.create({ email: 'manager@helpdesk.test', name: '管理 花子', role: 'manager', password: 'manager-password-123' });
  });
  afterEach(async () => { await db.close(); });

  const receive = async () => {
    const outcome = await db.module.get(IntakeService).accept(Buffer.from(buildMail({ from: MEMBER.email, subject: SUBJECT }).raw), MEMBER.email, clock.now());
    return (outcome as { consultNumber: number }).consultNumber; // due Thu 11/26 17:00
  };
  const claimBy = async (number: number, email: string) => db.module.get(AssignmentService).claim(number, (await db.module.get(StaffService).findByEmail(email))!);
  const sweep = async (at: string) => {
    clock.set(jst(at));
    return (await db.module.get(SlaSweepService).sweep()).warned;
  };
  const warnings = async () => (await db.module.get(DataSource).query(
    "SELECT to_address, subject, body_text FROM outbound_mails WHERE kind = 'notice' AND (subject LIKE '【期限間近】%' OR subject LIKE '【期限超過】%') ORDER BY id",
  )) as { to_address: string; subject: string; body_text: string }[];

  it('masks the subject of the at-risk warning to an expert assignee, in the mail subject and body', async () => {
    const number = await receive();
    await claimBy(number, 'expert@helpdesk.test');
    expect(await sweep('2026-11-26T09:30')).toBe(1);
    const [mail] = await warnings();
    expect(mail.to_address).toBe('expert@helpdesk.test');
    expect(mail.subject).toBe(`【期限間近】[KKD#${number}] 〔会社名〕 〔氏名〕です ランサムウェア感染の疑い`);
    expect(mail.body_text).toContain('件名: 〔会社名〕 〔氏名〕です ランサムウェア感染の疑い');
    for (const identity of ['ひまわり精機', '山田']) expect(`${mail.subject}\n${mail.body_text}`).not.toContain(identity);
    expect(mail.body_text).toContain(`会員: ひまわり ${MEMBER.clubId}`); // nickname and club ID, as everywhere
  });

  it('shows the subject as written to managers: the breached warning, and at-risk to a manager assignee', async () => {
    const number = await receive();
    await claimBy(number, 'manager@helpdesk.test');
    expect(await sweep('2026-11-26T09:30')).toBe(1);
    expect(await sweep('2026-11-26T17:00:01')).toBe(1);
    const mails = await warnings();
    expect(mails.map((m) => [m.to_address, m.subject])).toEqual([
      ['manager@helpdesk.test', `【期限間近】[KKD#${number}] ${SUBJECT}`],
      ['manager@helpdesk.test', `【期限超過】[KKD#${number}] ${SUBJECT}`],
    ]);
    for (const mail of mails) expect(mail.body_text).toContain(`件名: ${SUBJECT}`);
  });
});
