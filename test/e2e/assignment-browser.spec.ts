import { Page } from 'playwright-core';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { launchChromium } from './support/browser';
import { EXPERT, MANAGER, MEMBERS, startTestServer, TestServer } from './support/test-server';

const INTAKE = 'kakekomi@helpdesk.test';
const RANSOM_SUBJECT = 'ファイルが暗号化されました';
/** A made-up word no default rule knows. */
const TERM = 'ズンドコ障害';
const TERM_SUBJECT = `${TERM}の件でご相談`;

/** A Japan calendar date `days` from today. */
const japanDay = (days = 0) => new Date(Date.now() + 9 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);

/**
 * The expert-assignment console in Debian's Chromium, used like a person would: through the
 * navigation, labels and buttons (getByLabel, getByRole), never by posting forms directly.
 */
describe('the assignment console in a real browser', () => {
  let t: TestServer;
  let chrome: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  /** JavaScript errors and console errors of every page, checked by each test. */
  const problems: string[] = [];
  /** Form posts a test expects refused with 400: Chromium logs those responses as console errors. */
  const expectedRefusals = new Set<string>();
  let ransom: number;

  beforeAll(async () => {
    t = await startTestServer();
    chrome = await launchChromium();
  });
  afterAll(async () => {
    await chrome?.close();
    await t?.close();
  });

  const openPage = async () => {
    const p = await chrome.context.newPage();
    p.on('console', (m) => {
      if (m.type() !== 'error') return;
      if (/status of 400 \(Bad Request\)/.test(m.text()) && expectedRefusals.has(m.location().url)) return;
      problems.push(`${p.url()}: ${m.text()}`);
    });
    p.on('pageerror', (err) => problems.push(`${p.url()}: ${err.message}`));
    return p;
  };
  const signIn = async (who: { email: string; password: string }) => {
    await page.goto(`${t.baseUrl}/consults`);
    await page.waitForURL(/\/login/);
    await page.getByLabel('メールアドレス').fill(who.email);
    await page.getByLabel('パスワード').fill(who.password);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.waitForURL(/\/consults$/);
  };
  /** Mails a consult in over SMTP as the first member; its number. */
  const deliver = async (subject: string, body: string): Promise<number> => {
    const result = await deliverOverSmtp(t.smtpPort, buildMail({ from: MEMBERS[0].email, subject, body }).raw, { from: MEMBERS[0].email, to: [INTAKE] });
    expect(result.code).toBe(250);
    const list = await (await t.api(`/api/tickets?q=${encodeURIComponent(subject)}`, { token: t.managerToken })).json();
    expect(list.items).toHaveLength(1);
    return list.items[0].number;
  };
  const queueViews = () => page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('list', { name: '相談の一覧' });
  const text = async (locator: ReturnType<Page['locator']>) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  const timeline = () => page.getByRole('region', { name: '経緯' });
  /** The 「担当」 fact of the consult page. */
  const assigneeFact = () => page.locator('.facts div').filter({ has: page.locator('dt', { hasText: /^担当$/ }) }).locator('dd');

  afterEach(() => {
    const seen = problems.splice(0);
    expectedRefusals.clear();
    expect(seen).toEqual([]);
  });

  it('assigns a ransomware mail to the expert with the skill, and shows the manager the views, the category, the triage reasons and the timeline', async () => {
    ransom = await deliver(RANSOM_SUBJECT, '身代金を要求する脅迫文が表示されています。至急対応をお願いします。');

    page = await openPage();
    await signIn(MANAGER);
    // The queue views with their counts, in the navigation of every page.
    const views = queueViews();
    expect(await views.getByRole('link').allTextContents().then((all) => all.map((s) => s.replace(/\s+/g, ' ').trim()))).toEqual([
      expect.stringMatching(/^自分の担当 0$/), expect.stringMatching(/^未割当 0$/), expect.stringMatching(/^期限間近 \d+$/),
      expect.stringMatching(/^期限超過 \d+$/), expect.stringMatching(/^すべて 1$/),
    ]);
    await views.getByRole('link', { name: /^すべて/ }).click();
    await page.waitForURL(/\/consults\?view=all$/);
    expect(await views.getByRole('link', { name: /^すべて/ }).getAttribute('aria-current')).toBe('page');
    const row = page.getByRole('row', { name: new RegExp(RANSOM_SUBJECT) });
    expect(await text(row)).toContain(EXPERT.name);
    expect(await text(row)).toContain('ランサムウェア');

    await row.getByRole('link', { name: RANSOM_SUBJECT }).click();
    await page.waitForURL(new RegExp(`/consults/${ransom}$`));
    expect(await text(page.getByRole('heading', { level: 1 }))).toBe(`KKD#${ransom} ${RANSOM_SUBJECT}`);
    const category = page.locator('.facts div').filter({ has: page.locator('dt', { hasText: /^分類$/ }) }).locator('dd');
    expect(await text(category)).toBe('ランサムウェア （自動分類）');
    expect(await text(assigneeFact())).toBe(EXPERT.name);

    // Why triage chose the category: folded until opened.
    const why = page.getByText('自動分類の根拠（一致した語句）');
    const reasons = page.locator('details.triage-why li');
    expect(await reasons.first().isVisible()).toBe(false);
    await why.click();
    expect(await reasons.first().isVisible()).toBe(true);
    const matched = await reasons.allTextContents();
    expect(matched).toEqual(expect.arrayContaining([expect.stringMatching(/^「身代金」本文 \d+点 → ランサムウェア/)]));

    expect(await text(timeline())).toMatch(new RegExp(`自動割当: ${EXPERT.name}（ランサムウェア担当・担当数 0/5・条件を満たす唯一の担当者）`));
  });

  it('lets the manager change an expert\'s capacity and skills and add an absence', async () => {
    const [start, end] = [japanDay(7), japanDay(9)];
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '担当者', exact: true }).click();
    await page.waitForURL(/\/experts$/);
    const expertRow = () => page.getByRole('row', { name: new RegExp(EXPERT.name) });
    expect(await text(expertRow())).toContain('担当数 1/5');
    await expertRow().getByRole('link', { name: EXPERT.name }).click();
    await page.waitForURL(/\/experts\/\d+$/);
    expect(await text(page.getByRole('heading', { level: 1 }))).toBe(`${EXPERT.name} 専門家`);

    expect(await page.getByLabel('ランサムウェア', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('標的型メール/フィッシング', { exact: true }).isChecked()).toBe(false);
    expect(await page.getByLabel('担当上限（未完了の相談の数）').inputValue()).toBe('5');
    await page.getByLabel('標的型メール/フィッシング', { exact: true }).check();
    await page.getByLabel('担当上限（未完了の相談の数）').fill('3');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/experts\/\d+$/);
    expect(await page.getByLabel('標的型メール/フィッシング', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('担当上限（未完了の相談の数）').inputValue()).toBe('3');
    expect(await text(page.locator('dl.facts'))).toContain('ランサムウェア、標的型メール/フィッシング');
    expect(await text(page.locator('dl.facts'))).toContain('担当数 1/3');

    expect(await page.getByText('予定されている不在はありません。').isVisible()).toBe(true);
    await page.getByLabel('開始日').fill(start);
    await page.getByLabel('終了日（この日まで不在）').fill(end);
    await page.getByLabel('メモ（任意）').fill('研修');
    await page.getByRole('button', { name: '追加' }).click();
    await page.waitForURL(/\/experts\/\d+#absences$/);
    const absence = page.getByRole('row', { name: new RegExp(`${start} 〜 ${end}`) });
    expect(await text(absence)).toContain('研修');
    expect(await absence.getByRole('button', { name: `${start} 〜 ${end} の不在を削除` }).isVisible()).toBe(true);

    await page.getByRole('link', { name: '← 担当者の一覧' }).click();
    await page.waitForURL(/\/experts$/);
    const row = await text(expertRow());
    expect(row).toContain('ランサムウェア、標的型メール/フィッシング');
    expect(row).toContain('担当数 1/3');
    expect(row).toContain('対応可'); // the absence is in the future
    expect(row).toContain(`${start} 〜 ${end}（研修）`);
  });

  it('lets the manager preview a new triage rule on the recent consults, then save it', async () => {
    const termConsult = await deliver(TERM_SUBJECT, 'よろしくお願いします。');
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '分類ルール' }).click();
    await page.waitForURL(/\/triage\/rules$/);
    const ruleCount = async () => Number(/(\d+)件/.exec(await text(page.getByRole('heading', { level: 1 })))?.[1]);
    const before = await ruleCount();
    expect(before).toBeGreaterThan(0);

    // The add form is the one with the plain プレビュー button (each rule's own buttons name their term).
    const addForm = page.locator('form', { has: page.getByRole('button', { name: 'プレビュー', exact: true }) });
    await addForm.getByLabel('語句').fill(TERM);
    await addForm.getByLabel('分類').selectOption({ label: 'Web改ざん' });
    await addForm.getByLabel('重み（-10〜10、0以外）').fill('5');
    await addForm.getByRole('button', { name: 'プレビュー', exact: true }).click();
    await page.waitForURL(/\/triage\/rules$/);

    const preview = page.getByRole('region', { name: 'プレビュー（まだ保存されていません）' });
    expect(await text(preview.getByRole('status'))).toBe('変わる相談: 1件（直近 2件中）');
    const changed = preview.getByRole('row', { name: new RegExp(`KKD#${termConsult}\\b`) });
    expect(await text(changed)).toContain('変わる');
    expect(await text(changed)).toContain('一般相談・通常 → Web改ざん・通常');
    expect(await text(changed)).toContain(`「${TERM}」件名`);
    expect(await text(preview.getByRole('row', { name: new RegExp(`KKD#${ransom}\\b`) }))).not.toContain('変わる');
    // Nothing saved yet, and the form keeps what was typed.
    expect(await ruleCount()).toBe(before);
    expect(await page.getByRole('button', { name: `「${TERM}」を削除` }).count()).toBe(0);
    expect(await addForm.getByLabel('語句').inputValue()).toBe(TERM);
    expect(await addForm.getByLabel('分類').inputValue()).toBe('defacement');
    expect(await addForm.getByLabel('重み（-10〜10、0以外）').inputValue()).toBe('5');

    await addForm.getByRole('button', { name: '保存', exact: true }).click();
    await page.waitForURL(/\/triage\/rules#rule-\d+$/);
    expect(await ruleCount()).toBe(before + 1);
    expect(await page.getByRole('region', { name: /プレビュー/ }).count()).toBe(0);
    const saved = page.getByRole('row').filter({ has: page.getByRole('button', { name: `「${TERM}」を削除` }) });
    expect(await saved.getByLabel('語句').inputValue()).toBe(TERM);
    expect(await saved.getByLabel('分類').inputValue()).toBe('defacement');
    expect(await saved.getByLabel('重み').inputValue()).toBe('5');
    // Listed under its category.
    const group = await saved.evaluate((row) => row.closest('table')?.previousElementSibling?.textContent);
    expect(group).toBe('Web改ざん');
    expect(await addForm.getByLabel('語句').inputValue()).toBe(''); // the add form is empty again
  });

  /** From any page (the header's brand link leads to the queue, すべて), the ransomware consult. */
  const openConsult = async () => {
    await page.getByRole('link', { name: '駆け込み寺 ヘルプデスク' }).click();
    await page.waitForURL(/\/consults$/);
    await page.getByRole('row', { name: new RegExp(RANSOM_SUBJECT) }).getByRole('link', { name: RANSOM_SUBJECT }).click();
    await page.waitForURL(new RegExp(`/consults/${ransom}$`));
  };
  /** Submits the reassignment form and expects it refused (400, the page shown again). */
  const submitRefusedReassignment = async () => {
    const url = `${t.baseUrl}/consults/${ransom}/assignee`;
    expectedRefusals.add(url);
    const response = page.waitForResponse((r) => r.url() === url && r.request().method() === 'POST');
    await page.getByRole('button', { name: '担当を変更' }).click();
    expect((await response).status()).toBe(400);
    await page.waitForURL(url);
  };

  it('lets the manager send the consult back to nobody with a reason, shown on the timeline', async () => {
    await openConsult();
    await page.getByLabel('新しい担当').selectOption({ label: '未割当に戻す' });
    await page.getByLabel('理由（タイムラインに記録されます）').fill('担当者の研修のため');
    await page.getByRole('button', { name: '担当を変更' }).click();
    await page.waitForURL(new RegExp(`/consults/${ransom}#timeline$`));
    expect(await text(assigneeFact())).toMatch(/^未割当/);
    expect(await page.getByRole('button', { name: '担当する' }).isVisible()).toBe(true);
    expect(await text(timeline())).toContain(`再割当: ${EXPERT.name} → 未割当（理由: 担当者の研修のため・${MANAGER.name}）`);
    // With the consult about the made-up term, which nobody had the skill for.
    expect(await text(queueViews().getByRole('link', { name: /^未割当/ }))).toBe('未割当 2');
  });

  it('refuses a reassignment without a reason with a message in Japanese, keeping what was chosen', async () => {
    await openConsult();
    await page.getByLabel('新しい担当').selectOption({ label: EXPERT.name });
    await submitRefusedReassignment();
    const error = page.getByRole('alert').filter({ hasText: '再割当の理由を入力してください。' });
    expect(await error.count()).toBe(1);
    const reason = page.getByLabel('理由（タイムラインに記録されます）');
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    expect(await reason.getAttribute('aria-describedby')).toBe(await error.getAttribute('id'));
    expect(await reason.inputValue()).toBe('');
    expect(await text(assigneeFact())).toMatch(/^未割当/); // nothing changed
    // The assignee chosen is still chosen: sending the form again with a reason must not fall back to 割当ルールで選ぶ.
    expect(await page.getByLabel('新しい担当').inputValue()).toBe(EXPERT.email);
  });

  it('refuses a reason of spaces only the same way, on the consult page', async () => {
    await openConsult();
    await page.getByLabel('新しい担当').selectOption({ label: EXPERT.name });
    await page.getByLabel('理由（タイムラインに記録されます）').fill('   ');
    await submitRefusedReassignment();
    expect(await page.getByRole('alert').filter({ hasText: '再割当の理由を入力してください。' }).count()).toBe(1);
    expect(await text(page.getByRole('heading', { level: 1 }))).toBe(`KKD#${ransom} ${RANSOM_SUBJECT}`);
    expect(await page.getByLabel('理由（タイムラインに記録されます）').getAttribute('aria-invalid')).toBe('true');
    expect(await text(assigneeFact())).toMatch(/^未割当/);
    expect(await page.getByLabel('新しい担当').inputValue()).toBe(EXPERT.email);
  });

  it('lets the expert find the consult among the unassigned and claim it', async () => {
    await page.close();
    await chrome.context.clearCookies(); // the manager is signed in
    page = await openPage();
    await signIn(EXPERT);
    const views = queueViews();
    expect(await text(views.getByRole('link', { name: /^自分の担当/ }))).toBe('自分の担当 0');
    await views.getByRole('link', { name: /^未割当/ }).click();
    await page.waitForURL(/\/consults\?view=unassigned$/);
    expect(await text(page.getByRole('heading', { level: 1 }))).toBe('相談一覧（未割当） 2件');
    const row = page.getByRole('row', { name: new RegExp(RANSOM_SUBJECT) });
    expect(await text(row)).toContain('未割当');
    await row.getByRole('link', { name: RANSOM_SUBJECT }).click();
    await page.waitForURL(new RegExp(`/consults/${ransom}$`));
    // Experts do not reassign; they claim.
    expect(await page.getByRole('button', { name: '担当を変更' }).count()).toBe(0);
    await page.getByRole('button', { name: '担当する' }).click();
    await page.waitForURL(new RegExp(`/consults/${ransom}#timeline$`));
    expect(await text(assigneeFact())).toBe(EXPERT.name);
    expect(await page.getByRole('button', { name: '担当する' }).count()).toBe(0);
    expect(await text(timeline())).toContain(`担当する: ${EXPERT.name} が担当になりました`);

    expect(await text(views.getByRole('link', { name: /^自分の担当/ }))).toBe('自分の担当 1');
    await views.getByRole('link', { name: /^自分の担当/ }).click();
    await page.waitForURL(/\/consults\?view=mine$/);
    expect(await text(page.getByRole('row', { name: new RegExp(RANSOM_SUBJECT) }))).toContain(EXPERT.name);
    expect(await page.getByRole('row', { name: new RegExp(TERM_SUBJECT) }).count()).toBe(0);
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/assignment-mine.png`, fullPage: true });
  });
});
