import { DataSource } from 'typeorm';
import { AssignmentModule, NewConsultDigestJob, NewConsultNoticeService } from '@kkd/assignment';
import { CalendarModule } from '@kkd/calendar';
import { Consult, ConsultsModule } from '@kkd/consults';
import { TransactionRunner } from '@kkd/core';
import { InboxModule, IntakeService } from '@kkd/inbox';
import { MailModule } from '@kkd/mail';
import { MemberImportService, MembershipModule } from '@kkd/membership';
import { NewConsultNotice, StaffModule, StaffService } from '@kkd/staff';
import { TriageModule } from '@kkd/triage';
import { buildMail, membersCsv } from '@kkd/testing';
import { realDbModule, TestClock } from './support/real-db';

const jst = (local: string) => new Date(`${local}+09:00`);
const LIBS = [CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule, TriageModule, AssignmentModule];
const MEMBER = { clubId: 'CST-00123', nickname: 'ひまわり', email: 'soc@himawari.example.jp', company: 'ひまわり精機株式会社' };
const RANSOM = ['ファイルが暗号化されました', '拡張子が .lockbit に変わり、身代金を要求する脅迫文が置かれています。'] as const;
const PHISH = ['不審なメールのリンクを開きました', 'フィッシングメールのリンクからパスワードを入力してしまいました。'] as const;

interface Mail { to_address: string; subject: string; body_text: string; consult_id: number | null }

describe('new-consult notices to experts (off / immediate / daily digest), on a real database', () => {
  const clock = new TestClock(jst('2026-11-24T10:00'));
  let a: Awaited<ReturnType<typeof realDbModule>>;
  let b: Awaited<ReturnType<typeof realDbModule>>;

  beforeEach(async () => {
    clock.set(jst('2026-11-24T10:00'));
    a = await realDbModule(LIBS, { clock });
    b = await realDbModule(LIBS, { clock, sameDatabaseAs: a.config });
    await a.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([MEMBER])));
    await a.module.get(StaffService).create({ email: 'manager@helpdesk.test', name: '管理 花子', role: 'manager' });
    // Capacity 0: nobody is assigned, so the only mails to experts are the notices under test.
    await expert('now@helpdesk.test', ['ransomware'], 'immediate');
    await expert('digest@helpdesk.test', ['ransomware', 'phishing'], 'digest');
    await expert('off@helpdesk.test', ['ransomware'], 'off');
    await expert('phish-now@helpdesk.test', ['phishing'], 'immediate');
  });
  afterEach(async () => {
    await b.close();
    await a.close();
  });

  async function expert(email: string, skills: string[], notice: NewConsultNotice): Promise<void> {
    const staff = a.module.get(StaffService);
    const user = await staff.create({ email, name: email.split('@')[0], role: 'expert', skills });
    await staff.updateProfile(user.id, { capacity: 0, newConsultNotice: notice });
  }
  const receive = async ([subject, body]: readonly [string, string]) => {
    const outcome = await a.module.get(IntakeService).accept(Buffer.from(buildMail({ from: MEMBER.email, subject, body }).raw), MEMBER.email, clock.now());
    return (outcome as { consultNumber: number }).consultNumber;
  };
  const notices = async (prefix: string) => (await a.module.get(DataSource).query(
    `SELECT to_address, subject, body_text, consult_id FROM outbound_mails WHERE kind = 'notice' AND subject LIKE '${prefix}%' ORDER BY id`,
  )) as Mail[];
  const identityIn = (mail: Mail) => [MEMBER.email, MEMBER.company, '山田 太郎'].filter((v) => mail.body_text.includes(v) || mail.subject.includes(v));

  it('mails an expert who chose "immediate" when a consult of their skill is opened, nobody else', async () => {
    const number = await receive(RANSOM);
    const mails = await notices('【新規相談】');
    expect(mails.map((m) => m.to_address)).toEqual(['now@helpdesk.test']);
    expect(mails[0].subject).toBe(`【新規相談】[KKD#${number}] ${RANSOM[0]}`);
    expect(mails[0].body_text).toContain(`会員: ${MEMBER.nickname} ${MEMBER.clubId}`);
    expect(mails[0].body_text).toContain('分類: ランサムウェア');
    expect(mails[0].body_text).toContain(`/consults/${number}`);
    expect(identityIn(mails[0])).toEqual([]);

    const phishing = await receive(PHISH);
    expect((await notices(`【新規相談】[KKD#${phishing}]`)).map((m) => m.to_address)).toEqual(['phish-now@helpdesk.test']);
  });

  it('sends an immediate notice once, even when the handler runs again', async () => {
    const number = await receive(RANSOM);
    const consultId = (await notices('【新規相談】'))[0].consult_id!;
    const again = await a.module.get(TransactionRunner).run(async (em) => {
      const consult = await em.getRepository(Consult).findOneOrFail({ where: { id: consultId }, relations: { member: { emails: true } } });
      return a.module.get(NewConsultNoticeService).notifyOpened(em, consult, RANSOM[1]);
    });
    expect(again).toBe(0);
    expect((await notices(`【新規相談】[KKD#${number}]`)).map((m) => m.to_address)).toEqual(['now@helpdesk.test']);
  });

  it('sends "digest" experts one mail a day from 08:30 JST with the consults of their skills opened since the last one', async () => {
    const first = await receive(RANSOM);
    clock.set(jst('2026-11-24T15:00'));
    const second = await receive(PHISH);
    const service = a.module.get(NewConsultNoticeService);

    clock.set(jst('2026-11-25T08:29'));
    expect(await service.sendDigests()).toBe(0);
    clock.set(jst('2026-11-25T08:30'));
    expect(await service.sendDigests()).toBe(1);
    const [digest, ...others] = await notices('【新規相談のまとめ】');
    expect(others).toEqual([]);
    expect(digest).toMatchObject({ to_address: 'digest@helpdesk.test', subject: '【新規相談のまとめ】2026-11-25 2件', consult_id: null });
    expect(digest.body_text).toContain(`■ KKD#${first} ${RANSOM[0]}`);
    expect(digest.body_text).toContain(`■ KKD#${second} ${PHISH[0]}`);
    expect(digest.body_text.indexOf(`KKD#${first}`)).toBeLessThan(digest.body_text.indexOf(`KKD#${second}`));
    expect(digest.body_text).toContain(`会員: ${MEMBER.nickname} ${MEMBER.clubId}`);
    expect(identityIn(digest)).toEqual([]);

    // The same day again, on this instance or another: nothing more.
    clock.set(jst('2026-11-25T12:00'));
    const third = await receive(RANSOM);
    expect(await service.sendDigests()).toBe(0);
    expect(await b.module.get(NewConsultNoticeService).sendDigests()).toBe(0);
    expect(await notices('【新規相談のまとめ】')).toHaveLength(1);

    // The next morning, through the scheduled job: only what came since.
    clock.set(jst('2026-11-26T08:35'));
    await a.module.get(NewConsultDigestJob).tick();
    const digests = await notices('【新規相談のまとめ】');
    expect(digests.map((d) => d.subject)).toEqual(['【新規相談のまとめ】2026-11-25 2件', '【新規相談のまとめ】2026-11-26 1件']);
    expect(digests[1].body_text).toContain(`KKD#${third}`);
    expect(digests[1].body_text).not.toContain(`KKD#${first} `);
    expect(digests[1].body_text).not.toContain(`KKD#${second} `);
  });

  it('mails nothing to experts who chose "off" (neither immediately nor in a digest), and no digest to immediate ones', async () => {
    await receive(RANSOM);
    clock.set(jst('2026-11-25T09:00'));
    await a.module.get(NewConsultNoticeService).sendDigests();
    const all = (await notices('【新規相談')).map((m) => m.to_address);
    expect(all).not.toContain('off@helpdesk.test');
    expect(all.sort()).toEqual(['digest@helpdesk.test', 'now@helpdesk.test']);
  });

  it('records a digest with nothing new without mailing it, and starts the next one from there', async () => {
    clock.set(jst('2026-11-25T08:30'));
    expect(await a.module.get(NewConsultNoticeService).sendDigests()).toBe(0);
    clock.set(jst('2026-11-25T10:00'));
    const number = await receive(RANSOM);
    clock.set(jst('2026-11-26T08:30'));
    expect(await a.module.get(NewConsultNoticeService).sendDigests()).toBe(1);
    const digests = await notices('【新規相談のまとめ】');
    expect(digests.map((d) => d.subject)).toEqual(['【新規相談のまとめ】2026-11-26 1件']);
    expect(digests[0].body_text).toContain(`KKD#${number}`);
  });

  it('lets a manager choose the notice on the expert profile (stored, validated)', async () => {
    const staff = a.module.get(StaffService);
    const user = (await staff.findByEmail('off@helpdesk.test'))!;
    expect((await staff.updateProfile(user.id, { newConsultNotice: 'digest' })).newConsultNotice).toBe('digest');
    expect((await staff.findById(user.id))!.newConsultNotice).toBe('digest');
    await expect(staff.updateProfile(user.id, { newConsultNotice: 'weekly' as NewConsultNotice })).rejects.toMatchObject({ field: 'newConsultNotice' });
  });
});
