import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { launchChromium } from './support/browser';
import { EXPERT, MEMBERS, startTestServer, TestServer } from './support/test-server';

/**
 * Issue 9: the console by keyboard in Debian's Chromium (j/k, Enter, r, /, ?), and the same pages
 * still used without JavaScript (the search is a plain form).
 */
describe('keyboard shortcuts in a real browser', () => {
  let t: TestServer;
  let chrome: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    t = await startTestServer();
    for (const subject of ['一件目の相談', '二件目の相談', '三件目の相談']) {
      const mail = buildMail({ from: MEMBERS[0].email, subject, body: '本文です。' });
      await deliverOverSmtp(t.smtpPort, mail.raw, { from: MEMBERS[0].email, to: ['kakekomi@helpdesk.test'] });
    }
    chrome = await launchChromium();
  });
  afterAll(async () => {
    await chrome?.close();
    await t?.close();
  });

  it('moves with j/k, opens with Enter, jumps to the reply with r and to the search with /, and lists the keys with ?', async () => {
    const page = await chrome.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${t.baseUrl}/login`);
    await page.getByLabel('メールアドレス').fill(EXPERT.email);
    await page.getByLabel('パスワード').fill(EXPERT.password);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.waitForURL(/\/consults$/);

    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    // Newest first: the second row is the second newest consult.
    await expect(page.locator('tr.kbd-current').textContent()).resolves.toContain('二件目の相談');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/consults\/2$/);
    await page.keyboard.press('r');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).toBe('reply-body');
    // Typed text is text, not shortcuts.
    await page.keyboard.type('jkr/');
    await expect(page.locator('#reply-body').inputValue()).resolves.toBe('jkr/');

    await page.goto(`${t.baseUrl}/consults`);
    await page.keyboard.press('/');
    await page.keyboard.type('三件目');
    await page.keyboard.press('Enter'); // submits the search form
    await page.waitForURL(/q=/);
    await expect(page.locator('table.queue tbody tr').count()).resolves.toBe(1);
    await expect(page.locator('table.queue tbody').textContent()).resolves.toContain('三件目の相談');

    await page.locator('body').click({ position: { x: 1, y: 1 } });
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'キーボード操作' });
    expect(await help.isVisible()).toBe(true);
    await expect(help.textContent()).resolves.toContain('回答欄へ移動');
    await help.getByRole('button', { name: '閉じる' }).click();
    expect(await help.isVisible()).toBe(false);
    expect(problems).toEqual([]);
  });

  it('searches the queue without JavaScript too', async () => {
    const context = await chrome.context.browser()?.newContext({ javaScriptEnabled: false });
    const page = context ? await context.newPage() : await chrome.context.newPage();
    await page.goto(`${t.baseUrl}/login`);
    await page.getByLabel('メールアドレス').fill(EXPERT.email);
    await page.getByLabel('パスワード').fill(EXPERT.password);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.waitForURL(/\/consults$/);
    await page.getByLabel('検索').fill('KKD#1');
    await page.getByRole('button', { name: '表示' }).click();
    await page.waitForURL(/q=KKD%231/);
    await expect(page.locator('table.queue tbody tr').count()).resolves.toBe(1);
    await context?.close();
  });
});
