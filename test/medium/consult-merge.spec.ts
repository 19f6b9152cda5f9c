import { DataSource } from 'typeorm';
import { CalendarModule } from '@kkd/calendar';
import { ConsultMergeService, ConsultsModule, ConsultsService } from '@kkd/consults';
import { InboxModule, IntakeService } from '@kkd/inbox';
import { MailModule } from '@kkd/mail';
import { MemberImportService, MembershipModule } from '@kkd/membership';
import { StaffModule, StaffService, StaffUser } from '@kkd/staff';
import { buildMail, membersCsv } from '@kkd/testing';
import { realDbModule, TestClock } from './support/real-db';

const jst = (local: string) => new Date(`${local}+09:00`);
const HIMAWARI = { clubId: 'CST-00123', nickname: 'ひまわり', email: 'soc@himawari.example.jp' };
const SAKURA = { clubId: 'CST-00456', nickname: 'さくら', email: 'csirt@sakura.example.jp' };

describe('merging duplicates, overrides and double replies on a real database', () => {
  const clock = new TestClock(jst('2026-11-24T10:00'));
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let expert: StaffUser;
  beforeEach(async () => {
    clock.set(jst('2026-11-24T10:00'));
    db = await realDbModule([CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule], { clock });
    await db.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([HIMAWARI, SAKURA])));
    expert = await db.module.get(StaffService).create({ email: 'expert@helpdesk.test', name: '専門 太郎', role: 'expert' });
  });
  afterEach(async () => { await db.close(); });

  const receive = async (from: string, subject: string, at: string, headers: { inReplyTo?: string } = {}) => {
    clock.set(jst(at));
    const mail = buildMail({ from, subject, body: `${subject}の件です。`, ...headers });
    const outcome = await db.module.get(IntakeService).accept(Buffer.from(mail.raw), from, jst(at));
    return { number: (outcome as { consultNumber: number }).consultNumber, messageId: mail.messageId };
  };
  const consults = () => db.module.get(ConsultsService);

  it('moves every message with its own due and answered times, recomputes the target, and records both sides', async () => {
    const original = await receive(HIMAWARI.email, '不審なログイン', '2026-11-24T10:00'); // due Fri 11/27 17:00
    clock.set(jst('2026-11-24T15:00'));
    await consults().reply(original.number, expert, 'ログを送ってください。'); // answered: the consult waits for the member
    const duplicate = await receive(HIMAWARI.email, '不審なログインについて（再送）', '2026-11-25T09:00'); // due Mon 11/30 17:00

    clock.set(jst('2026-11-25T10:00'));
    const merged = await db.module.get(ConsultMergeService).merge(duplicate.number, original.number, '同じ事案の再送', expert);

    expect(merged).toMatchObject({ status: 'open', dueAt: jst('2026-11-30T17:00'), firstDueAt: jst('2026-11-27T17:00'), firstResponseAt: jst('2026-11-24T15:00'), receivedAt: jst('2026-11-24T10:00') });
    expect(merged.slaState).toBe('on_track');
    const { thread } = await consults().detail(original.number);
    expect(thread.map((m) => [m.direction, m.dueAt?.toISOString() ?? null, m.answeredAt?.toISOString() ?? null])).toEqual([
      ['inbound', jst('2026-11-27T17:00').toISOString(), jst('2026-11-24T15:00').toISOString()],
      ['outbound', null, null],
      ['inbound', jst('2026-11-30T17:00').toISOString(), null],
    ]);
    const source = await consults().get(duplicate.number);
    expect(source).toMatchObject({ status: 'closed', mergedIntoId: merged.id, dueAt: null });
    expect((await consults().detail(duplicate.number)).thread).toEqual([]);
    expect((await consults().timeline(source.id)).map((e) => e.summary)).toContain(`KKD#${original.number} に統合しました（理由: 同じ事案の再送・専門 太郎）。メッセージはすべて KKD#${original.number} に移りました`);
    expect((await consults().timeline(merged.id)).map((e) => e.summary)).toContain(`KKD#${duplicate.number}「不審なログインについて（再送）」を統合しました（理由: 同じ事案の再送・専門 太郎）`);

    // The acknowledgement of the duplicate now belongs to the target: a reply to it threads there.
    const [ack] = await db.module.get(DataSource).query("SELECT message_id_header FROM outbound_mails WHERE kind = 'acknowledgement' ORDER BY id DESC LIMIT 1");
    const answer = await receive(HIMAWARI.email, 'Re: 受付', '2026-11-25T11:00', { inReplyTo: ack.message_id_header });
    expect(answer.number).toBe(original.number);
  });

  it('refuses to merge another member\'s consult, the same consult, or one already merged', async () => {
    const mine = await receive(HIMAWARI.email, '相談A', '2026-11-24T10:00');
    const theirs = await receive(SAKURA.email, '相談B', '2026-11-24T11:00');
    const again = await receive(HIMAWARI.email, '相談A 再送', '2026-11-24T12:00');
    const merger = db.module.get(ConsultMergeService);
    await expect(merger.merge(theirs.number, mine.number, '重複', expert)).rejects.toThrow('別の会員の相談には統合できません。');
    await expect(merger.merge(mine.number, mine.number, '重複', expert)).rejects.toThrow('同じ相談には統合できません。');
    await expect(merger.merge(again.number, mine.number, ' ', expert)).rejects.toMatchObject({ field: 'reason' });
    await merger.merge(again.number, mine.number, '重複', expert);
    await expect(merger.merge(again.number, mine.number, '重複', expert)).rejects.toThrow('既に統合された相談は統合できません。');
    expect((await consults().detail(theirs.number)).thread).toHaveLength(1);
  });

  it('keeps an expert\'s override of category and priority, and shows it on the timeline', async () => {
    const { number } = await receive(HIMAWARI.email, '相談', '2026-11-24T10:00');
    const updated = await consults().update(number, { category: 'phishing', priority: 'high' }, expert);
    expect(updated).toMatchObject({ category: 'phishing', priority: 'high', categorySource: 'staff', prioritySource: 'staff' });
    expect((await consults().timeline(updated.id)).map((e) => e.summary)).toEqual([
      '分類を変更: 一般相談 → 標的型メール/フィッシング（専門 太郎）', '優先度を変更: 通常 → 高（専門 太郎）',
    ]);
  });

  it('stops a second reply sent from a page opened before the first, until the expert confirms', async () => {
    const { number } = await receive(HIMAWARI.email, '相談', '2026-11-24T10:00');
    const seen = Math.max(...(await consults().detail(number)).thread.map((m) => m.id));
    const other = await db.module.get(StaffService).create({ email: 'other@helpdesk.test', name: '別 担当', role: 'expert' });
    await consults().reply(number, other, '先に回答します。', 'waiting_member', { seenMessageId: seen, confirmed: false });
    await expect(consults().reply(number, expert, '同じ内容の回答', 'waiting_member', { seenMessageId: seen, confirmed: false }))
      .rejects.toMatchObject({ code: 'consult.reply_conflict' });
    expect((await consults().detail(number)).thread.filter((m) => m.direction === 'outbound')).toHaveLength(1);
    await consults().reply(number, expert, '補足です。', 'waiting_member', { seenMessageId: seen, confirmed: true });
    expect((await consults().detail(number)).thread.filter((m) => m.direction === 'outbound')).toHaveLength(2);
  });
});
