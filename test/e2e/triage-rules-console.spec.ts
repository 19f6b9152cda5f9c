import { TriageService } from '@kkd/triage';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { ConsoleClient, EXPERT, MANAGER, MEMBERS, startTestServer, TestServer } from './support/test-server';

const INTAKE = 'kakekomi@helpdesk.test';
/** A made-up word no default rule knows. */
const TERM = 'ズンドコ障害';

describe('the triage rules console: preview, save, edit, delete', () => {
  let t: TestServer;
  let manager: ConsoleClient;
  let expert: ConsoleClient;
  beforeAll(async () => {
    t = await startTestServer();
    manager = new ConsoleClient(t.baseUrl);
    await manager.login(MANAGER.email, MANAGER.password);
    expert = new ConsoleClient(t.baseUrl);
    await expert.login(EXPERT.email, EXPERT.password);
  });
  afterAll(async () => { await t.close(); });

  /** Mails a new consult in over SMTP; its number. */
  const deliver = async (subject: string, body = 'よろしくお願いします。'): Promise<number> => {
    const result = await deliverOverSmtp(t.smtpPort, buildMail({ from: MEMBERS[0].email, subject, body }).raw, { from: MEMBERS[0].email, to: [INTAKE] });
    expect(result.code).toBe(250);
    const list = await (await t.api(`/api/tickets?q=${encodeURIComponent(subject)}`, { token: t.managerToken })).json();
    expect(list.items).toHaveLength(1);
    return list.items[0].number;
  };
  const ticket = async (n: number) => (await t.api(`/api/tickets/${n}`, { token: t.managerToken })).json();
  const ruleCount = (html: string) => Number(/分類ルール <span class="count">(\d+)件/.exec(html)?.[1]);
  /** The id of the saved rule whose term input shows this term. */
  const ruleIdOf = (html: string, term: string) => new RegExp(`id="rule-(\\d+)-term" name="term" type="text" maxlength="100" value="${term}"`).exec(html)?.[1];
  const savedRules = () => t.server.app.get(TriageService).list();

  it('is for managers only', async () => {
    const page = await expert.get('/consults');
    expect((await expert.get('/triage/rules')).status).toBe(403);
    expect((await expert.get('/triage/rules?preview=1')).status).toBe(403);
    const csrf = ConsoleClient.csrfOf(page.html);
    expect((await expert.post('/triage/rules', { _csrf: csrf, term: TERM, category: 'ddos', priority: '', weight: '5', action: 'save' })).status).toBe(403);
    const someRule = (await savedRules())[0];
    expect((await expert.post(`/triage/rules/${someRule.id}/delete`, { _csrf: csrf })).status).toBe(403);
    expect((await savedRules()).some((r) => r.id === someRule.id)).toBe(true);
  });

  it('lists the rules grouped by category with their term, category, priority and weight', async () => {
    const page = await manager.get('/triage/rules');
    expect(page.status).toBe(200);
    expect(ruleCount(page.html)).toBe((await savedRules()).length);
    expect(page.html).toContain('<h3 class="rule-group">ランサムウェア</h3>');
    expect(page.html).toContain('<h3 class="rule-group">分類なし（優先度のみ）</h3>');
    // Groups follow the vocabulary's order.
    expect(page.html.indexOf('<h3 class="rule-group">ランサムウェア</h3>')).toBeLessThan(page.html.indexOf('<h3 class="rule-group">マルウェア感染</h3>'));
    expect(page.html.indexOf('<h3 class="rule-group">マルウェア感染</h3>')).toBeLessThan(page.html.indexOf('<h3 class="rule-group">分類なし（優先度のみ）</h3>'));
    const id = ruleIdOf(page.html, 'ランサムウェア');
    expect(id).toBeDefined();
    const row = page.html.slice(page.html.indexOf(`<tr id="rule-${id}"`)).split('</tr>')[0];
    expect(row).toMatch(/<option value="ransomware" selected>ランサムウェア<\/option>/);
    expect(row).toMatch(/<option value="" selected>（優先度なし）<\/option>/);
    expect(row).toContain('name="weight" type="number" min="-10" max="10" step="1" value="5"');
    expect(row).toContain(`action="/triage/rules/${id}/delete"`);
  });

  it('previews a new rule on recent consults without saving it, then saves it and the next mail uses it', async () => {
    const before = await deliver(`${TERM}の件でご相談`);
    const other = await deliver('会員向け勉強会の日程について');
    expect(await ticket(before)).toMatchObject({ category: 'general', priority: 'normal' });
    let page = await manager.get('/triage/rules');
    const count = ruleCount(page.html);
    const csrf = ConsoleClient.csrfOf(page.html);

    const bad = await manager.post('/triage/rules', { _csrf: csrf, term: TERM, category: '', priority: '', weight: '5', action: 'preview' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('分類か優先度のどちらかを選んでください。');
    expect(bad.html).toContain(`id="add-term" name="term" type="text" maxlength="100" value="${TERM}"`);
    const zero = await manager.post('/triage/rules', { _csrf: csrf, term: TERM, category: 'defacement', priority: '', weight: '0', action: 'preview' });
    expect(zero.status).toBe(400);
    expect(zero.html).toContain('重みは -10〜10 の 0 以外の整数で入力してください。');
    const notNumber = await manager.post('/triage/rules', { _csrf: csrf, term: TERM, category: 'defacement', priority: '', weight: '2.5', action: 'preview' });
    expect(notNumber.status).toBe(400);
    expect(notNumber.html).toContain('重みを整数で入力してください。');
    const noTerm = await manager.post('/triage/rules', { _csrf: csrf, term: '', category: 'defacement', priority: '', weight: '3', action: 'save' });
    expect(noTerm.status).toBe(400);
    expect(noTerm.html).toContain('語句を入力してください。');

    const preview = await manager.post('/triage/rules', { _csrf: csrf, term: TERM, category: 'defacement', priority: 'high', weight: '5', action: 'preview' });
    expect(preview.status).toBe(200);
    expect(preview.html).toContain('プレビュー（まだ保存されていません）');
    expect(preview.html).toContain('変わる相談: 1件');
    const changedRow = preview.html.split('<tr').find((r) => r.includes(`KKD#${before}<`)) ?? '';
    expect(changedRow).toContain('class="preview-changed"');
    expect(changedRow).toContain('一般相談・通常');
    expect(changedRow).toContain('→ <strong>Web改ざん・高</strong>');
    expect(changedRow).toContain(`「${TERM}」件名`);
    const unchangedRow = preview.html.split('<tr').find((r) => r.includes(`KKD#${other}<`)) ?? '';
    expect(unchangedRow).not.toContain('preview-changed');
    // The form keeps what was typed.
    expect(preview.html).toContain(`id="add-term" name="term" type="text" maxlength="100" value="${TERM}"`);
    expect(preview.html).toMatch(/<select id="add-category" name="category">[\s\S]*?<option value="defacement" selected>Web改ざん<\/option>/);
    expect(preview.html).toMatch(/<select id="add-priority" name="priority">[\s\S]*?<option value="high" selected>高<\/option>/);
    expect(preview.html).toContain('id="add-weight" name="weight" type="number" min="-10" max="10" step="1" value="5"');
    // Nothing saved.
    expect(ruleCount(preview.html)).toBe(count);
    expect((await savedRules()).some((r) => r.term === TERM)).toBe(false);
    expect(await ticket(before)).toMatchObject({ category: 'general', priority: 'normal' });

    const saved = await manager.post('/triage/rules', { _csrf: csrf, term: TERM, category: 'defacement', priority: 'high', weight: '5', action: 'save' });
    expect(saved.status).toBe(303);
    expect(saved.location).toMatch(/^\/triage\/rules#rule-\d+$/);
    page = await manager.get('/triage/rules');
    expect(ruleCount(page.html)).toBe(count + 1);
    expect(ruleIdOf(page.html, TERM)).toBe(/#rule-(\d+)$/.exec(saved.location!)?.[1]);
    expect((await savedRules()).find((r) => r.term === TERM)).toMatchObject({ category: 'defacement', priority: 'high', weight: 5 });

    const after = await deliver(`${TERM}がまた発生しました`);
    expect(await ticket(after)).toMatchObject({ category: 'defacement', priority: 'high' });
    expect(await ticket(before)).toMatchObject({ category: 'general', priority: 'normal' }); // existing consults keep theirs
  });

  it('previews and saves an edit, then deletes the rule', async () => {
    let page = await manager.get('/triage/rules');
    const csrf = ConsoleClient.csrfOf(page.html);
    const id = ruleIdOf(page.html, TERM)!;
    const count = ruleCount(page.html);

    const bad = await manager.post(`/triage/rules/${id}`, { _csrf: csrf, term: TERM, category: 'ddos', priority: 'high', weight: '11', action: 'preview' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain(`<p class="field-error" id="rule-${id}-error" role="alert">重みは -10〜10 の 0 以外の整数で入力してください。</p>`);
    expect(bad.html).toContain(`id="rule-${id}-weight" name="weight" type="number" min="-10" max="10" step="1" value="11" aria-invalid="true"`);

    const preview = await manager.post(`/triage/rules/${id}`, { _csrf: csrf, term: TERM, category: 'ddos', priority: 'high', weight: '5', action: 'preview' });
    expect(preview.status).toBe(200);
    expect(preview.html).toContain('変わる相談: 2件'); // the two consults with the term: Web改ざん → DDoS
    expect(preview.html).toContain('→ <strong>DDoS・高</strong>');
    const row = preview.html.slice(preview.html.indexOf(`<tr id="rule-${id}"`)).split('</tr>')[0];
    expect(row).toContain('class="rule-editing"');
    expect(row).toMatch(/<option value="ddos" selected>DDoS<\/option>/);
    expect((await savedRules()).find((r) => r.term === TERM)?.category).toBe('defacement'); // not saved

    // An empty priority is "none": the rule counts for the category only.
    const saved = await manager.post(`/triage/rules/${id}`, { _csrf: csrf, term: TERM, category: 'ddos', priority: '', weight: '4', action: 'save' });
    expect(saved).toMatchObject({ status: 303, location: `/triage/rules#rule-${id}` });
    expect((await savedRules()).find((r) => r.id === Number(id))).toMatchObject({ term: TERM, category: 'ddos', priority: null, weight: 4 });
    page = await manager.get('/triage/rules');
    expect(ruleCount(page.html)).toBe(count);

    const newest = await deliver(`${TERM}について三度目`);
    expect((await ticket(newest)).category).toBe('ddos');

    expect(await manager.post(`/triage/rules/${id}/delete`, { _csrf: csrf })).toMatchObject({ status: 303, location: '/triage/rules' });
    page = await manager.get('/triage/rules');
    expect(ruleCount(page.html)).toBe(count - 1);
    expect(ruleIdOf(page.html, TERM)).toBeUndefined();
    expect((await manager.post(`/triage/rules/${id}`, { _csrf: csrf, term: TERM, category: 'ddos', priority: '', weight: '4', action: 'save' })).status).toBe(404);
  });

  it('shows the current rules applied to recent consults with ?preview=1, changing nothing', async () => {
    const count = (await savedRules()).length;
    const page = await manager.get('/triage/rules?preview=1');
    expect(page.status).toBe(200);
    expect(page.html).toContain('いまのルールでの分類（直近');
    expect(page.html).not.toContain('変わる相談');
    expect(page.html).not.toContain('preview-changed');
    expect(page.html).toMatch(/KKD#1<\/a>/);
    expect((await savedRules()).length).toBe(count);
  });

  it('refuses a post without the CSRF token', async () => {
    const count = (await savedRules()).length;
    const res = await manager.post('/triage/rules', { term: 'CSRFのテスト', category: 'ddos', priority: '', weight: '3', action: 'save' });
    expect(res.status).toBe(403);
    expect((await manager.post('/triage/rules', { _csrf: 'forged', term: 'CSRFのテスト', category: 'ddos', priority: '', weight: '3', action: 'save' })).status).toBe(403);
    expect((await savedRules()).length).toBe(count);
  });
});
