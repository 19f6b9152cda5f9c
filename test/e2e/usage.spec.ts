import { execFile } from 'child_process';
import { parse } from 'csv-parse/sync';
import fs from 'fs';
import { simpleParser } from 'mailparser';
import path from 'path';
import { jstMonthOf } from '@kkd/core';
import { IntakeService } from '@kkd/inbox';
import { StaffService } from '@kkd/staff';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { UsageCloseJob } from '@kkd/usage';
import { ConsoleClient, EXPERT, MANAGER, MEMBERS, startTestServer, TestServer } from './support/test-server';

const CLI = path.resolve(__dirname, '../../dist/apps/cli/main.js');
const INTAKE = 'kakekomi@helpdesk.test';
const [HIMAWARI, SAKURA] = MEMBERS;

/** Runs the built CLI against the test server's database, as an operator would. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, encoding: 'buffer' }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr: stderr.toString('utf8') });
    });
  });
}

describe('monthly usage end to end: acknowledgement notice, usage page, API roles, billing export', () => {
  let t: TestServer;
  let manager: ConsoleClient;
  const numbers: number[] = [];
  const october: number[] = [];
  let month: string;
  beforeAll(async () => {
    // The scheduler is triggered by hand below, so nothing closes a month behind the test's back.
    t = await startTestServer({ RUN_SCHEDULER: 'false' });
    manager = new ConsoleClient(t.baseUrl);
    await manager.login(MANAGER.email, MANAGER.password);
  });
  afterAll(async () => { await t.close(); });

  it('puts the extra-charge notice in the acknowledgement of the 3rd consult of the month, sent over SMTP', async () => {
    for (const subject of ['1件目の相談', '2件目の相談', '3件目の相談']) {
      const mail = buildMail({ from: HIMAWARI.email, subject });
      expect((await deliverOverSmtp(t.smtpPort, mail.raw, { from: HIMAWARI.email, to: [INTAKE] })).code).toBe(250);
    }
    await deliverOverSmtp(t.smtpPort, buildMail({ from: SAKURA.email, subject: 'さくらの相談' }).raw, { from: SAKURA.email, to: [INTAKE] });
    const list = await (await t.api('/api/tickets?order=oldest')).json();
    numbers.push(...list.items.filter((i: { member: { displayName: string } }) => i.member.displayName.startsWith(HIMAWARI.nickname)).map((i: { number: number }) => i.number));
    expect(numbers).toHaveLength(3);
    month = jstMonthOf(new Date(list.items[0].receivedAt));

    await t.flushOutbox();
    const acks = await Promise.all(t.outboxFiles(HIMAWARI.email).map(async (f) => simpleParser(fs.readFileSync(f))));
    const ackOf = (n: number) => acks.find((a) => a.subject?.includes(`[KKD#${n}]`))!;
    expect(ackOf(numbers[2]).text).toContain('今月のご相談が3件以上となりました（本件は今月3件目です）。ご契約に基づき、追加料金が発生する場合があります。');
    expect(ackOf(numbers[0]).text).not.toContain('追加料金');
    expect(ackOf(numbers[1]).text).not.toContain('追加料金');
  });

  it('shows usage in the ticket API and gives the month per member to managers and admins only', async () => {
    expect((await (await t.api(`/api/tickets/${numbers[2]}`)).json()).usage).toEqual({ month, ordinal: 3, billingCandidate: true });
    expect((await (await t.api(`/api/tickets/${numbers[0]}`)).json()).usage).toEqual({ month, ordinal: 1, billingCandidate: false });

    const usage = await t.api(`/api/usage?month=${month}`, { token: t.managerToken });
    expect(usage.status).toBe(200);
    expect(await usage.json()).toEqual({ items: [
      { clubId: HIMAWARI.clubId, nickname: HIMAWARI.nickname, count: 3, billingCandidates: 1 },
      { clubId: SAKURA.clubId, nickname: SAKURA.nickname, count: 1, billingCandidates: 0 },
    ] });
    const adminToken = await t.server.app.get(StaffService).createToken('admin@helpdesk.test');
    expect((await t.api(`/api/usage?month=${month}`, { token: adminToken })).status).toBe(200);
    expect((await t.api(`/api/usage?month=${month}`)).status).toBe(403); // expert
    expect((await t.api(`/api/usage?month=${month}`, { token: '' })).status).toBe(401);
    const bad = await t.api('/api/usage?month=2026-13', { token: t.managerToken });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'month' });
    expect(await (await t.api('/api/usage?month=2020-01', { token: t.managerToken })).json()).toEqual({ items: [] });
  });

  it('badges the candidate in the queue and on the consult page', async () => {
    const queue = await manager.get('/consults?view=all');
    expect(queue.html).toMatch(new RegExp(`3件目の相談</a> <span class="badge billing-badge">追加料金候補</span>`));
    expect(queue.html).not.toMatch(/1件目の相談<\/a> <span class="badge billing-badge">/);
    const page = await manager.get(`/consults/${numbers[2]}`);
    expect(page.html).toContain(`${month} の 3件目 <span class="badge billing-badge">追加料金候補</span>`);
    expect(page.html).toContain('（判定: 未判定）');
    expect(page.html).toContain('<a href="/usage">利用件数</a>');
  });

  it('lets a manager decide on the usage page, re-showing the form with errors, and keeps the history', async () => {
    const page = await manager.get(`/usage?month=${month}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`<a href="/consults/${numbers[2]}">KKD#${numbers[2]}</a>`);
    expect(page.html).toContain('<td>ひまわり CST-00123</td><td>3</td><td>1</td>');
    const csrf = ConsoleClient.csrfOf(page.html);

    const missing = await manager.post('/usage/decisions', { _csrf: csrf, month, consultNumber: String(numbers[2]), decision: 'waived', reason: '' });
    expect(missing.status).toBe(400);
    expect(missing.html).toContain('免除する理由を入力してください。');
    expect(missing.html).toMatch(/value="waived" checked/);
    const notCandidate = await manager.post('/usage/decisions', { _csrf: csrf, month, consultNumber: String(numbers[0]), decision: 'billable', reason: '' });
    expect(notCandidate.status).toBe(409);
    expect((await manager.post('/usage/decisions', { month, consultNumber: String(numbers[2]), decision: 'billable' })).status).toBe(403); // no CSRF token

    const waived = await manager.post('/usage/decisions', { _csrf: csrf, month, consultNumber: String(numbers[2]), decision: 'waived', reason: '<b>初回のため</b>' });
    expect(waived).toMatchObject({ status: 303, location: `/usage?month=${month}#consult-${numbers[2]}` });
    const after = await manager.get(`/usage?month=${month}`);
    expect(after.html).toContain('理由: &lt;b&gt;初回のため&lt;/b&gt;');
    expect(after.html).toContain(`KKD#${numbers[2]}（3件目）を免除に判定`);
    expect(after.html).toContain(MANAGER.name);
    expect((await manager.get(`/usage?month=${month}&show=undecided`)).html).not.toContain(`id="consult-${numbers[2]}"`);
    expect((await manager.get(`/usage?month=${month}&show=waived`)).html).toContain(`id="consult-${numbers[2]}"`);

    const expert = new ConsoleClient(t.baseUrl);
    await expert.login(EXPERT.email, EXPERT.password);
    expect((await expert.get(`/usage?month=${month}`)).status).toBe(403);
    expect((await expert.get(`/usage/csv?month=${month}`)).status).toBe(403);
  });

  it('validates the settings form, keeping what was typed, and saves a valid one', async () => {
    const csrf = ConsoleClient.csrfOf((await manager.get(`/usage?month=${month}`)).html);
    const bad = await manager.post('/usage/settings', { _csrf: csrf, month, threshold: '0', notice: 'お知らせ', unitPrice: '5000', taxRate: '10' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('しきい値は 1〜99 の整数で入力してください。');
    expect(bad.html).toContain('>お知らせ</textarea>');
    const badRate = await manager.post('/usage/settings', { _csrf: csrf, month, threshold: '3', notice: 'お知らせ', unitPrice: '5000', taxRate: '10.123' });
    expect(badRate.status).toBe(400);
    expect(badRate.html).toContain('消費税率は 0〜100 の数（小数第2位まで）で入力してください。');
    const ok = await manager.post('/usage/settings', { _csrf: csrf, month, threshold: '3', notice: '月{threshold}件以上のため追加料金の場合があります。', unitPrice: '1234', taxRate: '8' });
    expect(ok.status).toBe(303);
    const page = await manager.get(`/usage?month=${month}`);
    expect(page.html).toContain('1,234円（税抜）');
    expect(page.html).toContain('単価 5,000円 → 1,234円、消費税率 10% → 8%、通知文を変更');
  });

  it('closes a past month by the scheduler, refuses decisions until a manager reopens it, and exports the billing CSV from the CLI', async () => {
    const intake = t.server.app.get(IntakeService);
    for (const day of ['01', '02', '03']) {
      const raw = Buffer.from(buildMail({ from: HIMAWARI.email, subject: `10月の相談${day}` }).raw);
      october.push(((await intake.accept(raw, HIMAWARI.email, new Date(`2026-10-${day}T10:00:00+09:00`))) as { consultNumber: number }).consultNumber);
    }
    await t.server.app.get(UsageCloseJob).tick();
    const closed = await manager.get('/usage?month=2026-10');
    expect(closed.html).toContain('締め済み');
    expect(closed.html).toContain('自動（スケジューラ）');
    const csrf = ConsoleClient.csrfOf(closed.html);
    const refused = await manager.post('/usage/decisions', { _csrf: csrf, month: '2026-10', consultNumber: String(october[2]), decision: 'billable', reason: '' });
    expect(refused.status).toBe(409);
    expect(refused.html).toContain('2026-10 は締め済みです。');
    expect((await manager.post('/usage/close', { _csrf: csrf, month })).status).toBe(409); // this month is not over

    const noReason = await manager.post('/usage/reopen', { _csrf: csrf, month: '2026-10', reason: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.html).toContain('再開する理由を入力してください。');
    expect((await manager.post('/usage/reopen', { _csrf: csrf, month: '2026-10', reason: '請求漏れの確認' })).status).toBe(303);
    expect((await manager.post('/usage/decisions', { _csrf: csrf, month: '2026-10', consultNumber: String(october[2]), decision: 'billable', reason: '' })).status).toBe(303);
    expect((await manager.post('/usage/close', { _csrf: csrf, month: '2026-10' })).status).toBe(303);
    const history = (await manager.get('/usage?month=2026-10')).html;
    expect(history).toContain('<td>請求漏れの確認</td>'); // the reopen, with its reason, in the history
    expect(history).toMatch(/2026-10 を再開/);

    const download = await fetch(`${t.baseUrl}/usage/csv?month=2026-10`, { headers: { cookie: manager.cookieHeader() } });
    expect(download.headers.get('content-disposition')).toContain('attachment; filename="billing-2026-10.csv"');
    const env = { DATABASE_URL: t.config.DATABASE_URL, DATA_DIR: t.config.DATA_DIR, INIT_CWD: t.config.DATA_DIR, LOG_LEVEL: 'error' };
    const exported = await cli(['usage:export', '--month', '2026-10'], env);
    expect(exported.code).toBe(0);
    expect(exported.stdout.equals(Buffer.from(await download.arrayBuffer()))).toBe(true);
    expect([...exported.stdout.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = exported.stdout.subarray(3).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    // October was frozen at its first close with the settings of then: 1,234 yen at 8%, tax 98.72 → 98.
    expect(parse(text, { columns: true })).toEqual([
      { 対象月: '2026-10', 行種別: '明細', 会員ID: 'CST-00123', ニックネーム: 'ひまわり', 受付番号: `KKD#${october[2]}`, 受付日: '2026-10-03', 件数: '1', '単価（円）': '1234', '消費税（円）': '98', '金額（円）': '1332' },
      { 対象月: '2026-10', 行種別: '会員合計', 会員ID: 'CST-00123', ニックネーム: 'ひまわり', 受付番号: '', 受付日: '', 件数: '1', '単価（円）': '1234', '消費税（円）': '98', '金額（円）': '1332' },
    ]);

    const nothingBillable = await cli(['usage:export', '--month', month], env);
    expect(nothingBillable.code).toBe(0);
    expect(nothingBillable.stdout.subarray(3).toString('utf8')).toBe('対象月,行種別,会員ID,ニックネーム,受付番号,受付日,件数,単価（円）,消費税（円）,金額（円）\r\n');
    const bad = await cli(['usage:export', '--month', '2026-13'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
