import { DataSource } from 'typeorm';
import { CalendarModule } from '@kkd/calendar';
import { ConsultsModule, ConsultsService, Message } from '@kkd/consults';
import { Setting, ValidationError } from '@kkd/core';
import { InboxModule, IntakeService } from '@kkd/inbox';
import { MailModule, OutboundMail } from '@kkd/mail';
import { MemberImportService, MembershipModule } from '@kkd/membership';
import { CannedRepliesService, CannedReply, RepliesModule } from '@kkd/replies';
import { StaffModule, StaffService, StaffUser } from '@kkd/staff';
import { buildMail, membersCsv } from '@kkd/testing';
import { realDbModule, TestClock } from './support/real-db';

const jst = (local: string) => new Date(`${local}+09:00`);
const HIMAWARI = { clubId: 'CST-00123', nickname: 'ひまわり', email: 'soc@himawari.example.jp', company: 'ひまわり精機株式会社' };
/** The contact person the member factory gives every member. */
const CONTACT = '山田 太郎';

describe('canned replies and the reply signature on a real database', () => {
  const clock = new TestClock(jst('2026-12-01T10:00'));
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let manager: StaffUser;
  let expert: StaffUser;
  beforeEach(async () => {
    clock.set(jst('2026-12-01T10:00'));
    db = await realDbModule([CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule, RepliesModule], { clock });
    await db.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([HIMAWARI])));
    manager = await db.module.get(StaffService).create({ email: 'manager@helpdesk.test', name: '管理 花子', role: 'manager' });
    expert = await db.module.get(StaffService).create({ email: 'expert@helpdesk.test', name: '専門 太郎', role: 'expert' });
  });
  afterEach(async () => { await db.close(); });

  const replies = () => db.module.get(CannedRepliesService);
  const consults = () => db.module.get(ConsultsService);
  const rows = <T extends object>(entity: new () => T) => db.module.get(DataSource).getRepository(entity);
  /** A member's mail opens a consult (received at 2026-12-01 09:00 in Japan, a Tuesday); its number. */
  const receive = async (subject = 'ランサムウェアに感染しました') => {
    const outcome = await db.module.get(IntakeService).accept(Buffer.from(buildMail({ from: HIMAWARI.email, subject, body: '至急ご相談です。' }).raw), HIMAWARI.email, jst('2026-12-01T09:00'));
    return (outcome as { consultNumber: number }).consultNumber;
  };

  it('keeps templates on the migrated table: common ones first, then by category order and title; edits and deletes', async () => {
    const b = await replies().add({ category: 'phishing', title: 'B フィッシング初動', body: '{ニックネーム}様\nURLを開いていなければ…' });
    const a = await replies().add({ category: 'ransomware', title: 'ネットワーク切断のお願い', body: '端末をネットワークから外してください。' });
    const common = await replies().add({ category: null, title: '受付のお礼', body: '  お問い合わせありがとうございます。\r\n{受付番号}で承りました。  ' });
    const c = await replies().add({ category: 'phishing', title: 'A フィッシング報告先', body: '報告先は…' });
    expect((await replies().list()).map((r) => r.id)).toEqual([common.id, a.id, c.id, b.id]);
    expect((await replies().choices())[1]).toEqual({ id: a.id, category: 'ransomware', title: 'ネットワーク切断のお願い' }); // no body for a reply form
    expect(await replies().get(common.id)).toMatchObject({ body: 'お問い合わせありがとうございます。\n{受付番号}で承りました。', usageCount: 0, lastUsedAt: null });

    clock.set(jst('2026-12-02T11:00'));
    await replies().update(a.id, { category: 'malware', title: ' 切断のお願い ', body: '外してください。' });
    expect(await replies().get(a.id)).toMatchObject({ category: 'malware', title: '切断のお願い', body: '外してください。', updatedAt: jst('2026-12-02T11:00'), createdAt: jst('2026-12-01T10:00') });
    await replies().remove(b.id);
    expect((await replies().list()).map((r) => r.id)).toEqual([common.id, a.id, c.id]);
    await expect(replies().remove(b.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(replies().update(b.id, { category: null, title: 'x', body: 'y' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses placeholders that do not exist (a typo, or identity such as the company name) and stores nothing', async () => {
    const refused = replies().add({ category: null, title: '会社名入り', body: '{会社名} {氏名} 様\n{ニックネーム}' });
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(replies().add({ category: null, title: '会社名入り', body: '{会社名} {氏名} 様' })).rejects.toMatchObject({
      field: 'body', message: '{会社名} {氏名} は使えない差し込み項目です。使えるのは {ニックネーム} {会員ID} {受付番号} {回答期限} {担当者名} です。',
    });
    await expect(replies().add({ category: null, title: '   ', body: 'x' })).rejects.toMatchObject({ field: 'title' });
    expect(await rows(CannedReply).count()).toBe(0);
  });

  it('fills a template for a consult with what an expert may see: nickname, club ID, number, due time, the expert', async () => {
    const number = await receive();
    const consult = await consults().get(number);
    const template = await replies().add({ category: 'ransomware', title: '初動', body: '{ニックネーム}（{会員ID}）様\n{受付番号} について、{回答期限} までに{担当者名}からご連絡します。' });
    const draft = await replies().draft(template.id, consult, expert);
    expect(consult.dueAt).not.toBeNull();
    expect(draft).toEqual({
      id: template.id, title: '初動',
      text: `ひまわり（CST-00123）様\nKKD#${number} について、2026/12/04(金) 17:00 までに専門 太郎からご連絡します。`,
    });
    for (const secret of [HIMAWARI.email, HIMAWARI.company, CONTACT]) expect(draft.text).not.toContain(secret);
    await replies().remove(template.id);
    await expect(replies().draft(template.id, consult, expert)).rejects.toMatchObject({ field: 'template' });
  });

  it('counts uses atomically: concurrent replies each count, a template twice in one reply once, deleted ones are skipped', async () => {
    const one = await replies().add({ category: null, title: '一', body: '一' });
    const two = await replies().add({ category: null, title: '二', body: '二' });
    const gone = await replies().add({ category: null, title: '削除', body: '削除' });
    await replies().remove(gone.id);
    clock.set(jst('2026-12-03T15:30'));
    await Promise.all(Array.from({ length: 6 }, () => replies().recordUse([one.id])));
    await replies().recordUse([two.id, two.id, gone.id]);
    await replies().recordUse([]);
    expect(await replies().get(one.id)).toMatchObject({ usageCount: 6, lastUsedAt: jst('2026-12-03T15:30') });
    expect(await replies().get(two.id)).toMatchObject({ usageCount: 1, lastUsedAt: jst('2026-12-03T15:30') });
  });

  it('ends every reply mail with the signature; the preview is exactly the mail sent and stores nothing', async () => {
    const number = await receive();
    expect(await replies().signature()).toBe('CSIRT倶楽部 駆け込み寺 事務局');
    await expect(replies().setSignature('  \r\n ', manager)).rejects.toMatchObject({ field: 'signature', message: '署名を入力してください。' });
    await expect(replies().setSignature('あ'.repeat(1001), manager)).rejects.toMatchObject({ field: 'signature', message: '署名は1000文字以内で入力してください。' });
    await replies().setSignature('CSIRT倶楽部 駆け込み寺 事務局\r\n電話 03-0000-0000（平日 9:00〜17:30）\r\n', manager);
    const signature = 'CSIRT倶楽部 駆け込み寺 事務局\n電話 03-0000-0000（平日 9:00〜17:30）';
    expect(await replies().signature()).toBe(signature);
    expect(await rows(Setting).findOneByOrFail({ key: 'mail.reply_signature' })).toMatchObject({ value: signature, updatedBy: manager.id });

    const body = '  端末をネットワークから外してください。\n調査結果は追ってご連絡します。  ';
    const before = { messages: await rows(Message).count(), mails: await rows(OutboundMail).count() };
    const preview = await consults().previewReply(number, expert, body);
    expect({ messages: await rows(Message).count(), mails: await rows(OutboundMail).count() }).toEqual(before);
    await expect(consults().previewReply(number, expert, '   ')).rejects.toMatchObject({ field: 'body' });

    await consults().reply(number, expert, body);
    const sent = await rows(OutboundMail).findOneByOrFail({ kind: 'reply' });
    expect(preview).toEqual({ subject: sent.subject, bodyText: sent.bodyText });
    expect(sent.subject).toBe(`Re: [KKD#${number}] ランサムウェアに感染しました`);
    const text = sent.bodyText.replace(/\r\n/g, '\n');
    expect(text.startsWith('ひまわり CST-00123 様\n\n端末をネットワークから外してください。\n調査結果は追ってご連絡します。\n')).toBe(true);
    expect(text).toContain('担当: 専門 太郎（セキュリティエキスパート）');
    expect(text.trimEnd().endsWith(`\n--\n${signature}`)).toBe(true);
    for (const secret of [HIMAWARI.company, CONTACT]) expect(text).not.toContain(secret);
  });

  it('undoes and redoes its migration', async () => {
    const dataSource = db.module.get(DataSource);
    const migration = dataSource.migrations.find((m) => m.name === 'CannedReplies1765000000000')!;
    await replies().add({ category: null, title: '一', body: '一' });
    await replies().setSignature('署名', manager);
    const runner = dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      expect(await runner.hasTable('canned_replies')).toBe(false);
      expect(await rows(Setting).countBy({ key: 'mail.reply_signature' })).toBe(0);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await replies().list()).toEqual([]);
    expect(await replies().signature()).toBe('CSIRT倶楽部 駆け込み寺 事務局');
  });
});
