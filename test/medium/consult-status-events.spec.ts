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

describe('status changes on the consult timeline, on a real database', () => {
  const clock = new TestClock(jst('2026-11-24T10:00'));
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let expert: StaffUser;
  beforeEach(async () => {
    clock.set(jst('2026-11-24T10:00'));
    db = await realDbModule([CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule], { clock });
    await db.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([HIMAWARI])));
    expert = await db.module.get(StaffService).create({ email: 'expert@helpdesk.test', name: '専門 太郎', role: 'expert' });
  });
  afterEach(async () => { await db.close(); });

  const consults = () => db.module.get(ConsultsService);
  const receive = async (subject: string, at: string, headers: { inReplyTo?: string } = {}) => {
    clock.set(jst(at));
    const mail = buildMail({ from: HIMAWARI.email, subject, body: `${subject}の件です。`, ...headers });
    const outcome = await db.module.get(IntakeService).accept(Buffer.from(mail.raw), HIMAWARI.email, jst(at));
    return { number: (outcome as { consultNumber: number }).consultNumber, messageId: mail.messageId };
  };
  const statusEvents = async (number: number) => (await consults().timeline((await consults().get(number)).id))
    .filter((e) => e.kind === 'status_changed').map((e) => [e.summary, e.actor?.name ?? null]);

  it('records each change by the form, a reply, and the member\'s follow-ups, with who and from → to', async () => {
    const opened = await receive('不審なログイン', '2026-11-24T10:00');
    expect(await statusEvents(opened.number)).toEqual([]); // the opening itself adds no status line

    await consults().update(opened.number, { status: 'open' }, expert);
    await consults().update(opened.number, { status: 'open', priority: 'high' }, expert); // unchanged: nothing
    clock.set(jst('2026-11-24T11:00'));
    await consults().reply(opened.number, expert, 'ログを送ってください。');
    const reply = (await consults().detail(opened.number)).thread.find((m) => m.direction === 'outbound')!;
    await receive('Re: 不審なログイン', '2026-11-24T12:00', { inReplyTo: reply.messageIdHeader! });
    clock.set(jst('2026-11-24T13:00'));
    await consults().reply(opened.number, expert, '対処は完了です。', 'resolved');
    await consults().update(opened.number, { status: 'closed' }, expert);
    await consults().update(opened.number, { status: 'open' }, expert);
    await consults().update(opened.number, { status: 'closed' }, expert);
    await receive('Re: 不審なログイン（再発）', '2026-11-25T09:00', { inReplyTo: reply.messageIdHeader! });

    expect(await statusEvents(opened.number)).toEqual([
      ['状態を変更: 新規 → 対応中（専門 太郎）', '専門 太郎'],
      ['回答により状態を変更: 対応中 → 会員の返答待ち（専門 太郎）', '専門 太郎'],
      ['会員のメールにより状態を変更: 会員の返答待ち → 対応中', null],
      ['回答により状態を変更: 対応中 → 解決済み（専門 太郎）', '専門 太郎'],
      ['状態を変更: 解決済み → 完了（専門 太郎）', '専門 太郎'],
      ['状態を変更: 完了 → 対応中（専門 太郎）', '専門 太郎'],
      ['状態を変更: 対応中 → 完了（専門 太郎）', '専門 太郎'],
      ['会員のメールにより状態を変更: 完了 → 対応中', null],
    ]);
  });

  it('records nothing for a follow-up to a new consult, nor for a reply that keeps the status', async () => {
    const opened = await receive('相談', '2026-11-24T10:00');
    const ack = await receive('相談（追記）', '2026-11-24T10:30', { inReplyTo: opened.messageId });
    expect(ack.number).toBe(opened.number);
    await consults().reply(opened.number, expert, '一つ目の回答', 'open');
    expect(await statusEvents(opened.number)).toEqual([['回答により状態を変更: 新規 → 対応中（専門 太郎）', '専門 太郎']]);
    await consults().reply(opened.number, expert, '二つ目の回答', 'open');
    expect(await statusEvents(opened.number)).toHaveLength(1);
  });

  it('records the target\'s status change when a merge makes it wait for us again', async () => {
    const original = await receive('不審なログイン', '2026-11-24T10:00');
    await consults().reply(original.number, expert, '対処は完了です。', 'resolved');
    const duplicate = await receive('不審なログイン（再送）', '2026-11-25T09:00');
    await db.module.get(ConsultMergeService).merge(duplicate.number, original.number, '同じ事案', expert);
    expect((await statusEvents(original.number)).at(-1)).toEqual(['統合により状態を変更: 解決済み → 対応中（専門 太郎）', '専門 太郎']);
  });

  it('refuses a reply to a done consult, and a move it cannot make, in the console\'s words, changing nothing', async () => {
    const opened = await receive('不審なログイン', '2026-11-24T10:00');
    await consults().update(opened.number, { status: 'closed' }, expert);
    await expect(consults().reply(opened.number, expert, '追加のご連絡です。')).rejects.toMatchObject({
      code: 'consult.bad_transition',
      message: `KKD#${opened.number} は「完了」のため返信できません。状態を「対応中」に戻して（再開して）から返信してください。`,
    });
    await expect(consults().update(opened.number, { status: 'resolved' }, expert)).rejects.toMatchObject({
      code: 'consult.bad_transition', message: `KKD#${opened.number} の状態は「完了」から「解決済み」に変更できません。`,
    });
    expect((await consults().detail(opened.number)).thread.filter((m) => m.direction === 'outbound')).toHaveLength(0);
    // Replying with the reopening status is the way: it goes out.
    await consults().reply(opened.number, expert, '追加のご連絡です。', 'open');
    expect(await consults().get(opened.number)).toMatchObject({ status: 'open' });
  });
});
