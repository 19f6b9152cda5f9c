import fs from 'fs';
import { simpleParser } from 'mailparser';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { launchChromium } from './support/browser';
import { EXPERT, MANAGER, MEMBERS, startTestServer, TestServer } from './support/test-server';

describe('an expert in a real browser', () => {
  let t: TestServer;
  let chrome: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    t = await startTestServer();
    chrome = await launchChromium();
  });
  afterAll(async () => {
    await chrome?.close();
    await t?.close();
  });

  it('logs in, opens the consult from the queue, and replies', async () => {
    const mail = buildMail({ from: MEMBERS[0].email, subject: 'Webサイトが改ざんされました', body: 'トップページに見知らぬ画像が表示されています。' });
    expect((await deliverOverSmtp(t.smtpPort, mail.raw, { from: MEMBERS[0].email, to: ['kakekomi@helpdesk.test'] })).code).toBe(250);

    const page = await chrome.context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    await page.goto(`${t.baseUrl}/consults`);
    await page.waitForURL(/\/login/);
    await page.getByLabel('メールアドレス').fill(EXPERT.email);
    await page.getByLabel('パスワード').fill(EXPERT.password);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.waitForURL(/\/consults$/);

    const row = page.getByRole('row', { name: /Webサイトが改ざんされました/ });
    await expect(row.textContent()).resolves.toContain('ひまわり CST-00123');
    await row.getByRole('link', { name: 'Webサイトが改ざんされました' }).click();
    await page.waitForURL(/\/consults\/1$/);
    await expect(page.locator('h1').textContent()).resolves.toContain('KKD#1');
    await expect(page.locator('.member').textContent()).resolves.toBe('ひまわり CST-00123');

    await page.getByLabel('本文').fill('改ざんされたファイルを保全したうえで、サーバーを公開停止してください。');
    await page.getByRole('button', { name: '回答を送信' }).click();
    await page.waitForURL(/\/consults\/1#latest$/);
    await expect(page.locator('.message-outbound pre.body').textContent()).resolves.toContain('サーバーを公開停止してください');
    await expect(page.locator('.facts').textContent()).resolves.toContain('会員の返答待ち');
    expect(problems).toEqual([]);

    await t.flushOutbox();
    const reply = await simpleParser(fs.readFileSync(t.outboxFiles().at(-1)!));
    expect(reply.subject).toBe('Re: [KKD#1] Webサイトが改ざんされました');
    expect(reply.inReplyTo).toBe(mail.messageId);
  });

  it('shows a manager the SLA report with its trend chart, without errors', async () => {
    await chrome.context.clearCookies(); // the expert of the test before is signed in
    const page = await chrome.context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    await page.goto(`${t.baseUrl}/login?next=${encodeURIComponent('/reports/sla?month=2026-11')}`);
    await page.getByLabel('メールアドレス').fill(MANAGER.email);
    await page.getByLabel('パスワード').fill(MANAGER.password);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.waitForURL(/\/reports\/sla\?month=2026-11$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('SLAレポート 2026-11');
    const chart = page.getByRole('img', { name: /過去12か月の推移/ });
    expect(await chart.isVisible()).toBe(true);
    expect(await chart.locator('rect').count()).toBe(12);
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/sla-report.png`, fullPage: true });
    expect(problems).toEqual([]);
  });
});
