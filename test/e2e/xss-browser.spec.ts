import { Page } from 'playwright-core';
import { MemberImportService } from '@kkd/membership';
import { stringify } from 'csv-stringify/sync';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { launchChromium } from './support/browser';
import { ConsoleClient, MANAGER, startTestServer, TestServer } from './support/test-server';

/** Each payload, if it ever ran, would set window.__xss (or open a dialog). */
const SCRIPT = '<script>window.__xss="script"</script>';
const IMG = '<img src=x onerror="window.__xss=\'img\'">';
const SVG = '"><svg onload="window.__xss=\'svg\'">';
const ATTACKER = { clubId: 'CST-06666', nickname: `悪意${IMG}`, email: 'xss@attacker.example.jp', company: `株式会社${SVG}` };

/**
 * Issue 8: XSS payloads in the subject, the text and HTML body, a file name, a nickname and FAQ
 * text, opened by a manager in Debian's Chromium: nothing runs, no payload becomes an element,
 * and each shows as the text it is.
 */
describe('hostile mail in a real browser', () => {
  let t: TestServer;
  let chrome: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    t = await startTestServer();
    const csv = stringify([['club_id', 'nickname', 'email', 'company', 'contract_start'], [ATTACKER.clubId, ATTACKER.nickname, ATTACKER.email, ATTACKER.company, '2026-04-01']]);
    await t.server.app.get(MemberImportService).importCsv(Buffer.from(csv));
    const mail = buildMail({
      from: ATTACKER.email, subject: `件名${SCRIPT}${IMG}`, body: `本文${SCRIPT}\n${SVG}`,
      html: `<p>HTML本文</p>${SCRIPT}<img src="x" onerror="window.__xss='html'"><a href="javascript:window.__xss='href'">link</a>`,
      attachment: { filename: `資料${IMG}.pdf`, content: Buffer.from('%PDF-1.4\n'), contentType: 'application/pdf' },
    });
    expect((await deliverOverSmtp(t.smtpPort, mail.raw, { from: ATTACKER.email, to: ['kakekomi@helpdesk.test'] })).code).toBe(250);
    chrome = await launchChromium();
    page = await chrome.context.newPage();
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    await page.goto(`${t.baseUrl}/login`);
    await page.getByLabel('メールアドレス').fill(MANAGER.email);
    await page.getByLabel('パスワード').fill(MANAGER.password);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.waitForURL(/\/consults$/);
  });
  afterAll(async () => {
    await chrome?.close();
    await t?.close();
  });

  const inert = async (frame: Page = page) => {
    expect(await frame.evaluate(() => (globalThis as { __xss?: string }).__xss)).toBeUndefined();
    expect(await frame.locator('img[src="x"], svg[onload], script:not([src])').count()).toBe(0);
    expect(dialogs).toEqual([]);
  };

  it('shows the queue with the hostile subject and nickname as text', async () => {
    await page.goto(`${t.baseUrl}/consults`);
    const row = page.getByRole('row', { name: /件名<script>/ });
    await expect(row.textContent()).resolves.toContain(`件名${SCRIPT}${IMG}`);
    await expect(row.textContent()).resolves.toContain(ATTACKER.nickname);
    await inert();
  });

  it('shows the consult page, the sanitised HTML part and the file name inert', async () => {
    await page.goto(`${t.baseUrl}/consults/1`);
    await expect(page.locator('h1').textContent()).resolves.toContain(`件名${SCRIPT}${IMG}`);
    await expect(page.locator('body').textContent()).resolves.toContain(`資料${IMG}.pdf`);
    await inert();
    // The member's HTML is shown in a sandboxed frame: scripts, handlers and javascript: links are gone.
    const frame = page.frameLocator('iframe').first();
    await expect(frame.locator('body').textContent()).resolves.toContain('HTML本文');
    expect(await frame.locator('script, img[onerror], a[href^="javascript:"]').count()).toBe(0);
  });

  it('shows the member page (company with a payload) and an FAQ entry with a payload inert', async () => {
    await page.goto(`${t.baseUrl}/members?q=CST-06666`);
    await page.getByRole('link', { name: /CST-06666|悪意/ }).first().click();
    await expect(page.locator('body').textContent()).resolves.toContain(ATTACKER.company);
    await inert();

    // An FAQ draft whose text carries the payloads (a resolved consult promoted by a manager).
    const manager = new ConsoleClient(t.baseUrl);
    await manager.login(MANAGER.email, MANAGER.password);
    expect((await t.api('/api/tickets/1', { method: 'PATCH', body: JSON.stringify({ status: 'resolved' }), token: t.managerToken })).status).toBe(200);
    const promoted = await t.api('/api/tickets/1/faq', { method: 'POST', token: t.managerToken });
    expect(promoted.status).toBe(201);
    const { id } = await promoted.json();
    await page.goto(`${t.baseUrl}/faq/${id}`);
    await expect(page.locator('body').textContent()).resolves.toContain('<script>');
    await inert();
  });
});
