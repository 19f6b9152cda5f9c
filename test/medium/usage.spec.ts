import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { CalendarModule } from '@kkd/calendar';
import { ConsultMergeService, ConsultsModule, ConsultsService } from '@kkd/consults';
import { InboxModule, IntakeService } from '@kkd/inbox';
import { MailModule, OutboundMail } from '@kkd/mail';
import { MemberImportService, MembershipModule } from '@kkd/membership';
import { StaffModule, StaffService, StaffUser } from '@kkd/staff';
import { buildMail, membersCsv } from '@kkd/testing';
import { BillingExportService, UsageCloseJob, UsageCloseService, UsageModule, UsageService } from '@kkd/usage';
import { realDbModule, TestClock } from './support/real-db';

const jst = (local: string) => new Date(`${local}+09:00`);
const HIMAWARI = { clubId: 'CST-00123', nickname: 'ひまわり', email: 'soc@himawari.example.jp' };
const SAKURA = { clubId: 'CST-00456', nickname: 'さくら', email: 'csirt@sakura.example.jp' };
const NOTICE = '追加料金が発生する場合があります';

describe('monthly usage on a real database', () => {
  const clock = new TestClock(jst('2026-12-10T10:00'));
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let manager: StaffUser;
  let expert: StaffUser;
  beforeEach(async () => {
    clock.set(jst('2026-12-10T10:00'));
    db = await realDbModule([CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule, UsageModule], { clock });
    await db.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([HIMAWARI, SAKURA])));
    manager = await db.module.get(StaffService).create({ email: 'manager@helpdesk.test', name: '管理 花子', role: 'manager' });
    expert = await db.module.get(StaffService).create({ email: 'expert@helpdesk.test', name: '専門 太郎', role: 'expert' });
  });
  afterEach(async () => { await db.close(); });

  const usage = () => db.module.get(UsageService);
  const closer = () => db.module.get(UsageCloseService);
  const receive = async (from: string, subject: string, at: Date, headers: { inReplyTo?: string } = {}) => {
    const mail = buildMail({ from, subject, body: `${subject}の件です。`, ...headers });
    const outcome = await db.module.get(IntakeService).accept(Buffer.from(mail.raw), from, at);
    return { number: (outcome as { consultNumber: number }).consultNumber, kind: outcome.kind, messageId: mail.messageId };
  };
  const usageOf = async (number: number) => usage().ofConsult(await db.module.get(ConsultsService).get(number));
  const ackOf = async (number: number) => {
    const consult = await db.module.get(ConsultsService).get(number);
    return (await db.module.get(DataSource).getRepository(OutboundMail).findOneByOrFail({ consultId: consult.id, kind: 'acknowledgement' })).bodyText;
  };
  const counts = async (month: string) => (await usage().month(month)).members.map((m) => [m.clubId, m.count, m.candidates]);

  it('counts by the Japan month of receipt: 2026-11-30T15:30Z is December', async () => {
    await receive(HIMAWARI.email, '11月最後の相談', new Date('2026-11-30T14:59:59Z'));
    const december = await receive(HIMAWARI.email, '12月最初の相談', new Date('2026-11-30T15:30:00Z'));
    await receive(HIMAWARI.email, '年明けの相談', new Date('2026-12-31T15:00:00Z'));
    expect(await counts('2026-11')).toEqual([['CST-00123', 1, 0]]);
    expect(await counts('2026-12')).toEqual([['CST-00123', 1, 0]]);
    expect(await counts('2027-01')).toEqual([['CST-00123', 1, 0]]);
    expect(await usageOf(december.number)).toEqual({ month: '2026-12', ordinal: 1, billingCandidate: false, decision: null });
  });

  it('flags the 3rd consult of the month and puts the notice in its acknowledgement only; follow-ups and unknown senders do not count', async () => {
    const first = await receive(HIMAWARI.email, '相談1', jst('2026-12-01T09:00'));
    await receive(HIMAWARI.email, 'Re: 相談1', jst('2026-12-01T10:00'), { inReplyTo: first.messageId }); // follow-up
    await receive('stranger@example.com', '知らない人', jst('2026-12-01T11:00')); // held
    await receive(SAKURA.email, 'さくらの相談', jst('2026-12-01T12:00'));
    const second = await receive(HIMAWARI.email, '相談2', jst('2026-12-02T09:00'));
    const third = await receive(HIMAWARI.email, '相談3', jst('2026-12-03T09:00'));
    const fourth = await receive(HIMAWARI.email, '相談4', jst('2026-12-04T09:00'));

    expect([await ackOf(first.number), await ackOf(second.number)].some((t) => t.includes(NOTICE))).toBe(false);
    expect(await ackOf(third.number)).toContain('今月のご相談が3件以上となりました（本件は今月3件目です）');
    expect(await ackOf(fourth.number)).toContain('本件は今月4件目です');
    expect(await usageOf(third.number)).toMatchObject({ month: '2026-12', ordinal: 3, billingCandidate: true, decision: null });
    expect(await usageOf(second.number)).toMatchObject({ ordinal: 2, billingCandidate: false });
    expect(await counts('2026-12')).toEqual([['CST-00123', 4, 2], ['CST-00456', 1, 0]]);
    expect((await usage().month('2026-12')).candidates.map((c) => c.number)).toEqual([third.number, fourth.number]);
  });

  it('moves the count with a merge: the duplicate stops counting, and a target that takes an older mail moves month', async () => {
    const nov = await receive(HIMAWARI.email, '11月の相談', jst('2026-11-30T20:00'));
    const a = await receive(HIMAWARI.email, 'A', jst('2026-12-01T09:00'));
    const b = await receive(HIMAWARI.email, 'A（再送）', jst('2026-12-01T09:05'));
    const c = await receive(HIMAWARI.email, 'C', jst('2026-12-02T09:00'));
    expect(await usageOf(c.number)).toMatchObject({ ordinal: 3, billingCandidate: true });

    await db.module.get(ConsultMergeService).merge(b.number, a.number, '同じ事案の再送', expert);
    expect(await usageOf(c.number)).toMatchObject({ ordinal: 2, billingCandidate: false });
    expect(await usageOf(b.number)).toEqual({ month: '2026-12', ordinal: null, billingCandidate: false, decision: null });
    expect(await counts('2026-12')).toEqual([['CST-00123', 2, 0]]);

    // A's thread now starts with November's mail: A is received in November and counts there.
    await db.module.get(ConsultMergeService).merge(nov.number, a.number, '11月の相談の続き', expert);
    expect(await usageOf(a.number)).toMatchObject({ month: '2026-11', ordinal: 1 });
    expect(await usageOf(c.number)).toMatchObject({ month: '2026-12', ordinal: 1 });
    expect(await counts('2026-11')).toEqual([['CST-00123', 1, 0]]);
    expect(await counts('2026-12')).toEqual([['CST-00123', 1, 0]]);
  });

  it('applies a threshold change to open months, validates settings, and records the change', async () => {
    const first = await receive(HIMAWARI.email, '相談1', jst('2026-12-01T09:00'));
    const second = await receive(HIMAWARI.email, '相談2', jst('2026-12-02T09:00'));
    expect(await usageOf(second.number)).toMatchObject({ billingCandidate: false });
    await expect(usage().updateSettings({ threshold: '0', notice: 'x', unitPrice: '5000', taxRate: '10' }, manager)).rejects.toMatchObject({ field: 'threshold' });
    await expect(usage().updateSettings({ threshold: '2', notice: ' ', unitPrice: '5000', taxRate: '10' }, manager)).rejects.toMatchObject({ field: 'notice' });
    await expect(usage().updateSettings({ threshold: '2', notice: 'x', unitPrice: '5000', taxRate: '10.123' }, manager)).rejects.toMatchObject({ field: 'taxRate' });
    await expect(usage().updateSettings({ threshold: '2', notice: 'x', unitPrice: '-1', taxRate: '10' }, manager)).rejects.toMatchObject({ field: 'unitPrice' });
    expect((await usage().settings()).threshold).toBe(3); // nothing stored by a refused form

    await usage().updateSettings({ threshold: '2', notice: '月{threshold}件目以降は有料の場合があります。', unitPrice: '1234', taxRate: '8' }, manager);
    expect(await usage().settings()).toEqual({ threshold: 2, notice: '月{threshold}件目以降は有料の場合があります。', unitPriceYen: 1234, taxRateBp: 800 });
    expect(await usageOf(second.number)).toMatchObject({ ordinal: 2, billingCandidate: true });
    expect(await usageOf(first.number)).toMatchObject({ billingCandidate: false });
    const third = await receive(HIMAWARI.email, '相談3', jst('2026-12-03T09:00'));
    expect(await ackOf(third.number)).toContain('月2件目以降は有料の場合があります。');
    const page = await usage().page('2026-12');
    expect(page.settingsHistory.map((h) => [h.summary, h.actor])).toEqual([['しきい値 3件目 → 2件目、単価 5,000円 → 1,234円、消費税率 10% → 8%、通知文を変更', '管理 花子']]);
  });

  it('takes billable and waived decisions (a waiver needs a reason) and keeps their history', async () => {
    for (const day of ['01', '02', '03', '04']) await receive(HIMAWARI.email, `相談${day}`, jst(`2026-12-${day}T09:00`));
    const [third, fourth] = (await usage().month('2026-12')).candidates.map((c) => c.number);
    await expect(usage().decide({ consultNumber: third, decision: 'waived', reason: '  ' }, manager)).rejects.toMatchObject({ field: 'reason' });
    await expect(usage().decide({ consultNumber: third - 1, decision: 'billable' }, manager)).rejects.toMatchObject({ code: 'usage.refused' });
    await usage().decide({ consultNumber: third, decision: 'waived', reason: '同一事案の続報のため' }, manager);
    await usage().decide({ consultNumber: fourth, decision: 'waived', reason: '誤判定' }, manager);
    await usage().decide({ consultNumber: fourth, decision: 'billable' }, manager);

    const month = await usage().month('2026-12');
    expect(month.candidates.map((c) => [c.number, c.decision, c.reason, c.decidedBy])).toEqual([
      [third, 'waived', '同一事案の続報のため', '管理 花子'], [fourth, 'billable', null, '管理 花子'],
    ]);
    expect(month.members).toEqual([expect.objectContaining({ count: 4, candidates: 2, billable: 1, waived: 1, undecided: 0 })]);
    const history = (await usage().page('2026-12')).history;
    expect(history.map((h) => [h.consultNumber, h.decision, h.reason, h.actor])).toEqual([
      [fourth, 'billable', null, '管理 花子'], [fourth, 'waived', '誤判定', '管理 花子'], [third, 'waived', '同一事案の続報のため', '管理 花子'],
    ]);
  });

  it("keeps a waiver's reason with the waiver: the form sending it back with 請求対象 does not carry it over", async () => {
    for (const day of ['01', '02', '03', '04']) await receive(HIMAWARI.email, `相談${day}`, jst(`2026-12-${day}T09:00`));
    const [third, fourth] = (await usage().month('2026-12')).candidates.map((c) => c.number);
    await usage().decide({ consultNumber: fourth, decision: 'waived', reason: '同一事案のため免除' }, manager);
    // The page's form is filled with the current reason; the manager only switches the decision.
    await usage().decide({ consultNumber: fourth, decision: 'billable', reason: '同一事案のため免除' }, manager);
    // A reason typed for the new decision is kept.
    await usage().decide({ consultNumber: third, decision: 'waived', reason: '初回のため' }, manager);
    await usage().decide({ consultNumber: third, decision: 'billable', reason: '別事案と確認' }, manager);
    expect((await usage().month('2026-12')).candidates.map((c) => [c.number, c.decision, c.reason])).toEqual([[third, 'billable', '別事案と確認'], [fourth, 'billable', null]]);
    expect((await usage().page('2026-12')).history.filter((h) => h.consultNumber === fourth).map((h) => [h.decision, h.reason])).toEqual([
      ['billable', null], ['waived', '同一事案のため免除'],
    ]);
    // Back to 免除 with the billable reason left in the field: a waiver needs its own reason.
    await expect(usage().decide({ consultNumber: third, decision: 'waived', reason: '別事案と確認' }, manager)).rejects.toMatchObject({ field: 'reason' });
  });

  it('closes a month once (scheduler catch-up), freezes it, refuses decisions until reopened, and closes it again', async () => {
    await receive(SAKURA.email, '11月の相談', jst('2026-11-20T09:00'));
    const numbers: number[] = [];
    for (const day of ['01', '02', '03']) numbers.push((await receive(HIMAWARI.email, `相談${day}`, jst(`2026-12-${day}T09:00`))).number);
    await usage().decide({ consultNumber: numbers[2], decision: 'billable' }, manager);
    await expect(closer().close('2026-12', manager)).rejects.toMatchObject({ code: 'usage.refused' }); // not over yet

    clock.set(jst('2027-01-01T08:59'));
    expect(await closer().closeDue()).toEqual(['2026-11']); // December is not due before 09:00 on the 1st
    clock.set(jst('2027-01-01T15:00')); // the server was down at 09:00
    expect(await closer().closeDue()).toEqual(['2026-12']);
    expect(await closer().closeDue()).toEqual([]);
    expect(await closer().close('2026-12', manager)).toBe('already_closed');

    // Later changes never alter the closed month.
    await usage().updateSettings({ threshold: '1', notice: '通知', unitPrice: '9', taxRate: '10' }, manager);
    await db.module.get(ConsultMergeService).merge(numbers[1], numbers[0], '重複', expert);
    const frozen = await usage().month('2026-12');
    expect(frozen).toMatchObject({ state: 'closed', threshold: 3, unitPriceYen: 5000, taxRateBp: 1000, closedBy: null });
    expect(frozen.members).toEqual([expect.objectContaining({ clubId: 'CST-00123', count: 3, candidates: 1, billable: 1 })]);
    expect(await usageOf(numbers[2])).toEqual({ month: '2026-12', ordinal: 3, billingCandidate: true, decision: 'billable' });
    await expect(usage().decide({ consultNumber: numbers[2], decision: 'waived', reason: '理由' }, manager)).rejects.toMatchObject({ code: 'usage.month_closed' });

    await expect(closer().reopen('2026-12', ' ', manager)).rejects.toMatchObject({ field: 'reason' });
    await closer().reopen('2026-12', '請求先からの問い合わせ', manager);
    expect(await closer().closeDue()).toEqual([]); // a reopened month is the managers' to close
    // Reopened: live again (the merge counts now) with the month's own threshold, price and rate.
    const reopened = await usage().month('2026-12');
    expect(reopened).toMatchObject({ state: 'reopened', threshold: 3, unitPriceYen: 5000, reopenReason: '請求先からの問い合わせ', reopenedBy: '管理 花子' });
    expect(reopened.members).toEqual([expect.objectContaining({ count: 2, candidates: 0 })]);
    expect(await closer().close('2026-12', manager)).toBe('closed');
    expect((await usage().month('2026-12'))).toMatchObject({ state: 'closed', closedBy: '管理 花子', candidates: [] });
    expect((await usage().page('2026-12')).history.map((h) => [h.kind, h.actor ?? '自動'])).toEqual([
      ['close', '管理 花子'], ['reopen', '管理 花子'], ['close', '自動'], ['decision', '管理 花子'],
    ]);
  });

  it('closes the month missed while the server was down when a server starts (the scheduler job catches up once)', async () => {
    await receive(HIMAWARI.email, '11月の相談', jst('2026-11-20T09:00'));
    clock.set(jst('2026-12-01T08:30'));
    const early = await realDbModule([CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule, UsageModule], { clock, sameDatabaseAs: db.config });
    await early.close();
    expect((await usage().month('2026-11')).state).toBe('open'); // not due before 09:00 on the 1st

    clock.set(jst('2026-12-01T11:00')); // the server was down at 09:00 and starts now
    const restarted = await realDbModule([CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule, UsageModule], { clock, sameDatabaseAs: db.config });
    await restarted.module.get(UsageCloseJob).check(); // a later check finds nothing more to do
    await restarted.close();
    expect(await usage().month('2026-11')).toMatchObject({ state: 'closed', closedBy: null, closedAt: jst('2026-12-01T11:00') });
    expect((await usage().page('2026-11')).history.map((h) => h.kind)).toEqual(['close']);
  });

  it('exports the billable consults as CSV with a total per member, tax rounded down per consult', async () => {
    await usage().updateSettings({ threshold: '2', notice: '通知', unitPrice: '1234', taxRate: '8' }, manager);
    const h = [];
    for (const day of ['01', '02', '03', '04']) h.push((await receive(HIMAWARI.email, `相談${day}`, jst(`2026-12-${day}T09:00`))).number);
    const s = [];
    for (const at of ['2026-11-30T15:30:00Z', '2026-12-05T00:00:00Z']) s.push((await receive(SAKURA.email, 'さくら', new Date(at))).number);
    await usage().decide({ consultNumber: h[1], decision: 'billable' }, manager);
    await usage().decide({ consultNumber: h[2], decision: 'waived', reason: '続報' }, manager);
    await usage().decide({ consultNumber: h[3], decision: 'billable' }, manager);
    await usage().decide({ consultNumber: s[1], decision: 'billable' }, manager);
    clock.set(jst('2027-01-02T10:00'));
    await closer().close('2026-12', manager);

    const { csv } = await db.module.get(BillingExportService).csv('2026-12');
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const body = csv.subarray(3).toString('utf8');
    expect(body.split('\r\n')).toHaveLength(7); // header, 5 lines, and the final CRLF
    expect(body.replace(/\r\n/g, '')).not.toContain('\n');
    const rows = parse(body, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r['行種別'], r['会員ID'], r['受付番号'], r['受付日'], r['件数'], r['単価（円）'], r['消費税（円）'], r['金額（円）']])).toEqual([
      ['明細', 'CST-00123', `KKD#${h[1]}`, '2026-12-02', '1', '1234', '98', '1332'],
      ['明細', 'CST-00123', `KKD#${h[3]}`, '2026-12-04', '1', '1234', '98', '1332'],
      ['会員合計', 'CST-00123', '', '', '2', '2468', '196', '2664'],
      ['明細', 'CST-00456', `KKD#${s[1]}`, '2026-12-05', '1', '1234', '98', '1332'],
      ['会員合計', 'CST-00456', '', '', '1', '1234', '98', '1332'],
    ]);
    expect(rows.every((r) => r['対象月'] === '2026-12' && /^(ひまわり|さくら)$/.test(r['ニックネーム']))).toBe(true);
  });
});
