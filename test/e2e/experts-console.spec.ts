import { StaffService } from '@kkd/staff';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { ConsoleClient, EXPERT, MANAGER, MEMBERS, startTestServer, TestServer } from './support/test-server';

const INTAKE = 'kakekomi@helpdesk.test';
const SECOND = { email: 'second@helpdesk.test', name: '応援 次郎', password: 'second-password-123' };

/** A Japan calendar date `days` from today. */
const japanDay = (days = 0) => new Date(Date.now() + 9 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);
const md = (date: string) => `${Number(date.slice(5, 7))}/${Number(date.slice(8, 10))}`;

describe('the experts console: team, profiles, absences, bulk reassignment', () => {
  let t: TestServer;
  let manager: ConsoleClient;
  let expert: ConsoleClient;
  let expertId: number;
  let secondId: number;

  beforeAll(async () => {
    t = await startTestServer();
    const staff = t.server.app.get(StaffService);
    secondId = (await staff.create({ ...SECOND, role: 'expert', skills: ['ransomware'] })).id;
    expertId = (await staff.findByEmail(EXPERT.email))!.id;
    manager = new ConsoleClient(t.baseUrl);
    await manager.login(MANAGER.email, MANAGER.password);
    expert = new ConsoleClient(t.baseUrl);
    await expert.login(EXPERT.email, EXPERT.password);
  });
  afterAll(async () => { await t.close(); });

  /** A form post with repeated fields (checkboxes), which ConsoleClient.post cannot send. */
  const postFields = async (client: ConsoleClient, path: string, fields: [string, string][]) => {
    const res = await fetch(`${t.baseUrl}${path}`, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams(fields).toString(),
      headers: { cookie: client.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    });
    return { status: res.status, html: await res.text(), location: res.headers.get('location') };
  };
  /** The roster table's row for a name. */
  const rowOf = (html: string, name: string) => html.split('<tr').slice(1).find((row) => row.includes(name)) ?? '';
  /** Mails a new consult in over SMTP; its number. */
  const deliver = async (subject: string, body = 'ご相談です。'): Promise<number> => {
    const result = await deliverOverSmtp(t.smtpPort, buildMail({ from: MEMBERS[0].email, subject, body }).raw, { from: MEMBERS[0].email, to: [INTAKE] });
    expect(result.code).toBe(250);
    const list = await (await t.api(`/api/tickets?q=${encodeURIComponent(subject)}`, { token: t.managerToken })).json();
    expect(list.items).toHaveLength(1);
    return list.items[0].number;
  };

  it('shows experts the team with skills, load and absences, and refuses them the manager pages and posts', async () => {
    const page = await expert.get('/experts');
    expect(page.status).toBe(200);
    const row = rowOf(page.html, EXPERT.name);
    expect(row).toContain('ランサムウェア');
    expect(row).toContain('担当数 0/5');
    expect(row).toContain('対応可');
    expect(page.html).toContain(SECOND.name);
    expect(page.html).not.toContain(`href="/experts/${expertId}"`); // no edit links for experts

    const csrf = ConsoleClient.csrfOf(page.html);
    expect((await expert.get(`/experts/${expertId}`)).status).toBe(403);
    expect((await expert.post(`/experts/${expertId}/profile`, { _csrf: csrf, capacity: '50', active: 'on' })).status).toBe(403);
    expect((await expert.post(`/experts/${expertId}/absences`, { _csrf: csrf, starts_on: japanDay(), ends_on: japanDay(1) })).status).toBe(403);
    expect((await expert.post(`/experts/${secondId}/reassign-all`, { _csrf: csrf, reason: '勝手に' })).status).toBe(403);
    const after = await manager.get(`/experts/${expertId}`);
    expect(after.html).toContain('担当数 0/5');
    expect(after.html).toContain('予定されている不在はありません。');

    const managerList = await manager.get('/experts');
    expect(managerList.html).toContain(`href="/experts/${expertId}"`);
  });

  it('lets a manager edit skills, capacity and the active flag, with a message for a bad capacity', async () => {
    let page = await manager.get(`/experts/${expertId}`);
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<input type="checkbox" name="skills" value="ransomware" checked> ランサムウェア/);
    expect(page.html).toMatch(/<input type="checkbox" name="skills" value="phishing"> 標的型メール\/フィッシング/);

    const bad = await postFields(manager, `/experts/${expertId}/profile`, [['_csrf', ConsoleClient.csrfOf(page.html)], ['skills', 'phishing'], ['capacity', '多め'], ['active', 'on']]);
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('担当上限は 0〜1000 の整数で入力してください。');
    expect(bad.html).toContain('value="多め"'); // what was typed is kept
    expect(bad.html).toMatch(/value="phishing" checked/);
    expect(rowOf((await manager.get('/experts')).html, EXPERT.name)).toContain('担当数 0/5'); // nothing saved

    const unknownSkill = await postFields(manager, `/experts/${expertId}/profile`, [['_csrf', ConsoleClient.csrfOf(page.html)], ['skills', 'cooking'], ['capacity', '3'], ['active', 'on']]);
    expect(unknownSkill.status).toBe(400);
    expect(unknownSkill.html).toContain('専門分野が正しくありません。');

    const saved = await postFields(manager, `/experts/${expertId}/profile`, [
      ['_csrf', ConsoleClient.csrfOf(page.html)], ['skills', 'ransomware'], ['skills', 'phishing'], ['capacity', '3'], ['active', 'on'],
    ]);
    expect(saved).toMatchObject({ status: 303, location: `/experts/${expertId}` });
    page = await manager.get(`/experts/${expertId}`);
    expect(page.html).toMatch(/value="phishing" checked/);
    expect(page.html).toContain('value="3"');
    const row = rowOf((await expert.get('/experts')).html, EXPERT.name);
    expect(row).toContain('ランサムウェア、標的型メール/フィッシング');
    expect(row).toContain('担当数 0/3');

    // Deactivating (the checkbox left out) shows 無効 to everyone; then back on.
    expect((await postFields(manager, `/experts/${secondId}/profile`, [['_csrf', ConsoleClient.csrfOf(page.html)], ['skills', 'ransomware'], ['capacity', '5']])).status).toBe(303);
    expect(rowOf((await expert.get('/experts')).html, SECOND.name)).toContain('無効');
    expect((await postFields(manager, `/experts/${secondId}/profile`, [['_csrf', ConsoleClient.csrfOf(page.html)], ['skills', 'ransomware'], ['capacity', '5'], ['active', 'on']])).status).toBe(303);
    expect(rowOf((await expert.get('/experts')).html, SECOND.name)).not.toContain('無効');
  });

  it('leaves switching a manager or admin off to an admin: a manager cannot do it from the expert page', async () => {
    const staff = t.server.app.get(StaffService);
    const admin = await staff.create({ email: 'second-admin@helpdesk.test', name: '管理者 次郎', role: 'admin' });
    const page = await manager.get(`/experts/${admin.id}`);
    const refused = await postFields(manager, `/experts/${admin.id}/profile`, [['_csrf', ConsoleClient.csrfOf(page.html)], ['capacity', '5']]);
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('管理者がスタッフアカウント画面で変更します');
    expect((await staff.findById(admin.id))!.active).toBe(true);
    // Skills and capacity of the same account stay a manager's to set.
    const saved = await postFields(manager, `/experts/${admin.id}/profile`, [['_csrf', ConsoleClient.csrfOf(page.html)], ['skills', 'phishing'], ['capacity', '4'], ['active', 'on']]);
    expect(saved.status).toBe(303);
    expect((await staff.findById(admin.id))!.capacity).toBe(4);
  });

  it('adds an absence (refusing an end before the start, nothing saved) and removes it', async () => {
    let page = await manager.get(`/experts/${expertId}`);
    const csrf = ConsoleClient.csrfOf(page.html);
    const [start, end] = [japanDay(), japanDay(3)];

    const backwards = await manager.post(`/experts/${expertId}/absences`, { _csrf: csrf, starts_on: end, ends_on: start, note: '夏休み' });
    expect(backwards.status).toBe(400);
    expect(backwards.html).toContain('終了日は開始日以降にしてください。');
    expect(backwards.html).toContain('value="夏休み"');
    expect(backwards.html).toContain(`value="${end}"`);
    const empty = await manager.post(`/experts/${expertId}/absences`, { _csrf: csrf, starts_on: '', ends_on: end });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('開始日を');
    page = await manager.get(`/experts/${expertId}`);
    expect(page.html).toContain('予定されている不在はありません。');
    expect(rowOf((await expert.get('/experts')).html, EXPERT.name)).not.toContain('不在（');

    const added = await manager.post(`/experts/${expertId}/absences`, { _csrf: csrf, starts_on: start, ends_on: end, note: '夏休み' });
    expect(added).toMatchObject({ status: 303, location: `/experts/${expertId}#absences` });
    const row = rowOf((await expert.get('/experts')).html, EXPERT.name);
    expect(row).toContain(`不在（${md(end)} まで）`);
    expect(row).toContain(`${start} 〜 ${end}（夏休み）`);

    page = await manager.get(`/experts/${expertId}`);
    const absenceId = new RegExp(`action="/experts/${expertId}/absences/(\\d+)/delete"`).exec(page.html)?.[1];
    expect(absenceId).toBeDefined();
    // An absence is removed only through its own person's page.
    expect((await manager.post(`/experts/${secondId}/absences/${absenceId}/delete`, { _csrf: csrf })).status).toBe(404);
    expect((await expert.post(`/experts/${expertId}/absences/${absenceId}/delete`, { _csrf: ConsoleClient.csrfOf((await expert.get('/experts')).html) })).status).toBe(403);
    expect((await manager.post(`/experts/${expertId}/absences/${absenceId}/delete`, { _csrf: csrf })).status).toBe(303);
    page = await manager.get(`/experts/${expertId}`);
    expect(page.html).toContain('予定されている不在はありません。');
    expect(rowOf((await expert.get('/experts')).html, EXPERT.name)).toContain('対応可');
  });

  it('sends every open consult of an expert back through the assignment rule', async () => {
    const ransom1 = await deliver('ランサムウェアに感染しました');
    const ransom2 = await deliver('ランサムウェアの脅迫文が届きました');
    const general = await deliver('会員向けの勉強会の日程について');
    const detail = async (n: number) => (await t.api(`/api/tickets/${n}`, { token: t.managerToken })).json();
    expect((await detail(ransom1)).category).toBe('ransomware');
    expect((await detail(general)).category).toBe('general');
    for (const n of [ransom1, ransom2, general]) {
      const res = await t.api(`/api/tickets/${n}`, { method: 'PATCH', token: t.managerToken, body: JSON.stringify({ assignee: EXPERT.email, reason: 'テストの準備' }) });
      expect(res.status).toBe(200);
      expect((await detail(n)).assignee).toBe(EXPERT.email);
    }
    expect(rowOf((await manager.get('/experts')).html, EXPERT.name)).toContain('担当数 3/3');

    let page = await manager.get(`/experts/${expertId}`);
    const noReason = await manager.post(`/experts/${expertId}/reassign-all`, { _csrf: ConsoleClient.csrfOf(page.html), reason: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.html).toContain('再割当の理由を入力してください。');
    const blank = await manager.post(`/experts/${expertId}/reassign-all`, { _csrf: ConsoleClient.csrfOf(page.html), reason: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.html).toContain('再割当の理由を入力してください。');
    expect((await detail(ransom1)).assignee).toBe(EXPERT.email); // nothing moved

    const done = await manager.post(`/experts/${expertId}/reassign-all`, { _csrf: ConsoleClient.csrfOf(page.html), reason: '長期休暇のため' });
    expect(done).toMatchObject({ status: 303, location: `/experts/${expertId}?moved=2&unassigned=1` });
    page = await manager.get(done.location!);
    expect(page.html).toContain('2件を再割当しました（未割当 1件）');
    expect(page.html).toContain('担当数 0/3');

    expect((await detail(ransom1)).assignee).toBe(SECOND.email);
    expect((await detail(ransom2)).assignee).toBe(SECOND.email);
    expect((await detail(general)).assignee).toBeNull(); // nobody has the skill
    expect(rowOf((await expert.get('/experts')).html, SECOND.name)).toContain('担当数 2/5');
  });

  it('refuses a post without the CSRF token', async () => {
    const res = await manager.post(`/experts/${expertId}/profile`, { capacity: '9', active: 'on' });
    expect(res.status).toBe(403);
    const res2 = await manager.post(`/experts/${expertId}/profile`, { _csrf: 'forged', capacity: '9', active: 'on' });
    expect(res2.status).toBe(403);
    expect((await manager.get(`/experts/${expertId}`)).html).toContain('担当数 0/3');
  });

  it('answers 404 for an unknown staff member', async () => {
    expect((await manager.get('/experts/99999')).status).toBe(404);
  });
});
