import fs from 'fs';
import { simpleParser } from 'mailparser';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { launchChromium } from './support/browser';
import { MEMBERS, startTestServer, TestServer } from './support/test-server';

describe('a member searching the FAQ in a real browser, on a phone-sized screen', () => {
  let t: TestServer;
  let chrome: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    t = await startTestServer();
    chrome = await launchChromium();
    await deliverOverSmtp(t.smtpPort, buildMail({ from: MEMBERS[0].email, subject: 'Emotet の感染について', body: '感染が疑われます。' }).raw, { from: MEMBERS[0].email, to: ['kakekomi@helpdesk.test'] });
    await t.api('/api/tickets/1/replies', { method: 'POST', body: JSON.stringify({ body: 'EmoCheck で Emotet の感染を確認してください。', status: 'resolved' }) });
    const { id } = await (await t.api('/api/tickets/1/faq', { method: 'POST' })).json();
    await t.api(`/api/faq/${id}/publish`, { method: 'POST', token: t.managerToken });
  });
  afterAll(async () => {
    await chrome?.close();
    await t?.close();
  });

  it('signs in by the mailed link and finds an entry with a full-width query, using the keyboard', async () => {
    const page = await chrome.context.newPage();
    await page.setViewportSize({ width: 375, height: 740 });
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    await page.goto(`${t.baseUrl}/help`);
    await page.waitForURL(/\/help\/login$/);
    await page.getByLabel('メールアドレス').fill(MEMBERS[0].email);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status').textContent()).resolves.toContain('ログイン用のリンクをお送りしました');

    await t.flushOutbox();
    const files = t.outboxFiles(MEMBERS[0].email);
    const mail = await simpleParser(fs.readFileSync(files[files.length - 1]));
    const link = /https?:\/\/\S+\/help\/login\/[A-Za-z0-9_-]+/.exec(mail.text ?? '')![0];
    await page.goto(`${t.baseUrl}${new URL(link).pathname}`);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.waitForURL(/\/help$/);

    await page.getByLabel(/キーワードで探す/).fill('Ｅｍｏｔｅｔ');
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=/);
    const result = page.getByRole('link', { name: 'Emotet の感染について' });
    await expect(page.locator('.faq-results mark').first().textContent()).resolves.toBe('Emotet');
    await result.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/help\/entries\/\d+$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('Emotet の感染について');
    await expect(page.getByRole('heading', { level: 2, name: '回答' }).isVisible()).resolves.toBe(true);
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
  });
});
