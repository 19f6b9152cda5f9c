import fs from 'fs';
import { Page } from 'playwright-core';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { launchChromium } from './support/browser';
import { MANAGER, MEMBERS, startTestServer, TestServer } from './support/test-server';

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }

/**
 * Issue 9: axe-core in Debian's Chromium reports no serious or critical violation on any console
 * or FAQ page (labels, headings, contrast, names of links and buttons, landmarks, language).
 */
describe('accessibility of every console and FAQ page (axe-core)', () => {
  let t: TestServer;
  let chrome: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;

  /** axe's serious and critical findings on the page now open. */
  const audit = async (): Promise<string[]> => {
    // Evaluated over the DevTools protocol: the pages' Content-Security-Policy stays as it is.
    await page.evaluate(AXE);
    const violations = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
      return (await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] })).violations;
    });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  };

  beforeAll(async () => {
    t = await startTestServer();
    for (const [i, subject] of ['ランサムウェアに感染しました', '不審なメールを開いてしまいました'].entries()) {
      const mail = buildMail({ from: MEMBERS[i].email, subject, body: '状況をご相談させてください。' });
      await deliverOverSmtp(t.smtpPort, mail.raw, { from: MEMBERS[i].email, to: ['kakekomi@helpdesk.test'] });
    }
    const held = buildMail({ from: 'stranger@unknown.example.jp', subject: '誰かからのメール' });
    await deliverOverSmtp(t.smtpPort, held.raw, { from: 'stranger@unknown.example.jp', to: ['kakekomi@helpdesk.test'] });
    chrome = await launchChromium();
    page = await chrome.context.newPage();
  });
  afterAll(async () => {
    await chrome?.close();
    await t?.close();
  });

  it('finds a violation when there is one (the check itself works)', async () => {
    await page.setContent('<!DOCTYPE html><html><body><img src="data:,"><input type="text"></body></html>');
    expect((await audit()).map((v) => v.split(' ')[0])).toEqual(expect.arrayContaining(['image-alt', 'label']));
  });

  it.each(['/login', '/help', '/help/login'])('has no serious or critical violation on %s (signed out)', async (path) => {
    await page.goto(`${t.baseUrl}${path}`);
    expect(await audit()).toEqual([]);
  });

  it.each([
    '/consults', '/consults?view=unassigned', '/consults/1', '/experts', '/triage/rules', '/reports/sla?month=2026-11', '/calendar',
    '/held', '/usage', '/members', '/audit', '/faq', '/canned-replies', '/account/password',
  ])('has no serious or critical violation on %s (manager)', async (path) => {
    if (!page.url().includes('/consults') && !(await page.context().cookies()).some((c) => c.name.includes('session'))) {
      await page.goto(`${t.baseUrl}/login`);
      await page.getByLabel('メールアドレス').fill(MANAGER.email);
      await page.getByLabel('パスワード').fill(MANAGER.password);
      await page.getByRole('button', { name: 'ログイン' }).click();
      await page.waitForURL(/\/consults$/);
    }
    const res = await page.goto(`${t.baseUrl}${path}`);
    expect(res?.status()).toBe(200);
    expect(await audit()).toEqual([]);
  });
});
