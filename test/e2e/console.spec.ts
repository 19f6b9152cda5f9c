import { StaffService } from '@kkd/staff';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { ConsoleClient, EXPERT, MANAGER, MEMBERS, startTestServer, TestServer } from './support/test-server';

const INTAKE = 'kakekomi@helpdesk.test';
/** The lines of a consult page's 経緯 section. */
const timelineOf = (html: string) => [...(/<section class="timeline"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '').matchAll(/<li[^>]*><time>[^<]*<\/time> ([^<]*)<\/li>/g)].map((m) => m[1]);

describe('console (server-rendered, no JavaScript needed)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    const mail = buildMail({ from: MEMBERS[0].email, subject: '不審なログイン <script>alert(1)</script>', body: '管理画面に海外からログインがありました。', html: '<p>管理画面に<b>海外</b>から<img src="https://tracker.example/p.gif">ログイン<script>alert(2)</script></p>' });
    await deliverOverSmtp(t.smtpPort, mail.raw, { from: MEMBERS[0].email, to: [INTAKE] });
  });
  afterAll(async () => { await t.close(); });

  it('redirects to the login page when signed out', async () => {
    const page = await new ConsoleClient(t.baseUrl).get('/consults');
    expect(page.status).toBe(303);
    expect(page.location).toBe('/login?next=%2Fconsults');
  });

  it('gives the same answer for an unknown account and a wrong password', async () => {
    const unknown = await new ConsoleClient(t.baseUrl).login('nobody@helpdesk.test', 'whatever-password');
    const wrong = await new ConsoleClient(t.baseUrl).login(EXPERT.email, 'wrong-password-123');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const message = (html: string) => /<p class="alert" role="alert">([^<]+)<\/p>/.exec(html)?.[1];
    expect(message(unknown.html)).toBe('メールアドレスまたはパスワードが正しくありません。');
    expect(message(wrong.html)).toBe(message(unknown.html));
  });

  it('shows the login form again with errors for missing fields', async () => {
    const client = new ConsoleClient(t.baseUrl);
    const page = await client.get('/login');
    const res = await client.post('/login', { _csrf: ConsoleClient.csrfOf(page.html), email: '', password: '' });
    expect(res.status).toBe(400);
    expect(res.html).toContain('メールアドレスを入力してください。');
    expect(res.html).toContain('パスワードを入力してください。');
  });

  it('throttles repeated failed logins', async () => {
    const account = { email: 'target@helpdesk.test', name: '標的', password: 'target-password-123' };
    await t.server.app.get(StaffService).create({ ...account, role: 'expert' });
    const client = new ConsoleClient(t.baseUrl);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await client.login(account.email, `bad-password-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await client.login(account.email, account.password)).status).toBe(429);
    expect((await client.login(EXPERT.email, EXPERT.password)).status).toBe(303);
  });

  it('lets an expert read the queue and the consult under nickname + club ID only', async () => {
    const client = new ConsoleClient(t.baseUrl);
    const login = await client.login(EXPERT.email, EXPERT.password);
    expect(login.status).toBe(303);
    const queue = await client.get('/consults');
    expect(queue.status).toBe(200);
    expect(queue.html).toContain('ひまわり CST-00123');
    expect(queue.html).toContain('不審なログイン &lt;script&gt;');
    expect(queue.html).not.toContain('<script>alert');
    const consult = await client.get('/consults/1');
    expect(consult.html).toContain('ひまわり CST-00123');
    for (const secret of [MEMBERS[0].email, MEMBERS[0].company]) expect(consult.html).not.toContain(secret);
    // Member HTML only inside a sandboxed srcdoc, sanitised and escaped; no remote image.
    expect(consult.html).toContain('sandbox srcdoc="&lt;p&gt;管理画面に&lt;b&gt;海外&lt;/b&gt;');
    expect(consult.html).not.toContain('tracker.example');
    expect(consult.html).not.toContain('alert(2)');
  });

  it('shows the reply form again with an error when the body is empty, and refuses a post without CSRF token', async () => {
    const client = new ConsoleClient(t.baseUrl);
    await client.login(EXPERT.email, EXPERT.password);
    const page = await client.get('/consults/1');
    const empty = await client.post('/consults/1/reply', { _csrf: ConsoleClient.csrfOf(page.html), body: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('本文を入力してください。');
    const forged = await client.post('/consults/1/reply', { body: '偽の回答' });
    expect(forged.status).toBe(403);
    const detail = await (await t.api('/api/tickets/1')).json();
    expect(detail.messages.filter((m: { direction: string }) => m.direction === 'outbound')).toHaveLength(0);
  });

  it('replies, adds a note and changes the status from the consult page', async () => {
    const client = new ConsoleClient(t.baseUrl);
    await client.login(EXPERT.email, EXPERT.password);
    let page = await client.get('/consults/1');
    const csrf = ConsoleClient.csrfOf(page.html);
    expect((await client.post('/consults/1/notes', { _csrf: csrf, body: '海外IPの調査中' })).status).toBe(303);
    expect((await client.post('/consults/1/reply', { _csrf: csrf, body: 'パスワードを変更してください。', status: 'waiting_member' })).status).toBe(303);
    expect((await client.post('/consults/1/status', { _csrf: csrf, status: 'resolved' })).status).toBe(303);
    page = await client.get('/consults/1');
    expect(page.html).toContain('海外IPの調査中');
    expect(page.html).toContain('パスワードを変更してください。');
    expect(page.html).toContain('解決済み');
    // Each status change is on the 経緯 with who made it, as the other changes are.
    expect(timelineOf(page.html)).toEqual(expect.arrayContaining([
      '回答により状態を変更: 新規 → 会員の返答待ち（専門 太郎）', '状態を変更: 会員の返答待ち → 解決済み（専門 太郎）',
    ]));
    const detail = await (await t.api('/api/tickets/1')).json();
    expect(detail.status).toBe('resolved');
    expect(detail.messages.map((m: { direction: string }) => m.direction)).toEqual(['inbound', 'note', 'outbound']);
  });

  it('shows a mail mailparser cannot fully parse as raw source with a warning', async () => {
    const broken = [
      `From: ${MEMBERS[1].email}`, 'To: kakekomi@helpdesk.test', 'Subject: broken', 'this header line has no colon',
      'Content-Type: multipart/mixed; boundary="zzz"', '', '--zzz', 'Content-Type: text/plain', '', '壊れたメール本文', '',
    ].join('\r\n');
    expect((await deliverOverSmtp(t.smtpPort, broken, { from: MEMBERS[1].email, to: [INTAKE] })).code).toBe(250);
    const list = await (await t.api('/api/tickets?q=broken')).json();
    const number = list.items[0].number;
    const client = new ConsoleClient(t.baseUrl);
    await client.login(MANAGER.email, MANAGER.password);
    const page = await client.get(`/consults/${number}`);
    expect(page.html).toContain('このメールは正しく解析できませんでした');
    expect(page.html).toContain('this header line has no colon');
    expect(page.html).toContain('<pre class="raw">');
  });

  it('lists held mail for managers and refuses it to experts', async () => {
    await deliverOverSmtp(t.smtpPort, buildMail({ from: 'stranger@unknown.example.com', subject: '未登録からの相談' }).raw, { from: 'stranger@unknown.example.com', to: [INTAKE] });
    const manager = new ConsoleClient(t.baseUrl);
    await manager.login(MANAGER.email, MANAGER.password);
    const held = await manager.get('/held');
    expect(held.status).toBe(200);
    expect(held.html).toContain('stranger@unknown.example.com');
    expect(held.html).toContain('未登録の送信者');
    const expert = new ConsoleClient(t.baseUrl);
    await expert.login(EXPERT.email, EXPERT.password);
    expect((await expert.get('/held')).status).toBe(403);
  });

  it('signs in with an HttpOnly, SameSite session cookie, and signs out only with the CSRF token of the page', async () => {
    const client = new ConsoleClient(t.baseUrl);
    await client.login(EXPERT.email, EXPERT.password);
    const session = client.lastSetCookies.find((c) => c.startsWith('kkd_session='));
    expect(session).toMatch(/; HttpOnly/i);
    expect(session).toMatch(/; SameSite=Lax/i);
    expect((await client.post('/logout', {})).status).toBe(403);
    const page = await client.get('/consults');
    expect(page.status).toBe(200);
    const out = await client.post('/logout', { _csrf: ConsoleClient.csrfOf(page.html) });
    expect(out).toMatchObject({ status: 303, location: '/login' });
    expect((await client.get('/consults')).status).toBe(303); // the session is gone on the server too
  });

  it('filters the queue by status and orders it newest or oldest first', async () => {
    await deliverOverSmtp(t.smtpPort, buildMail({ from: MEMBERS[1].email, subject: '一覧テスト 新着' }).raw, { from: MEMBERS[1].email, to: [INTAKE] });
    const client = new ConsoleClient(t.baseUrl);
    await client.login(EXPERT.email, EXPERT.password);
    const numbersOn = (html: string) => [...html.matchAll(/>KKD#(\d+)<\/a>/g)].map((m) => Number(m[1]));
    const newest = numbersOn((await client.get('/consults')).html);
    const oldest = numbersOn((await client.get('/consults?order=oldest')).html);
    expect(newest.length).toBeGreaterThan(2);
    expect(oldest).toEqual([...newest].reverse());
    const resolved = await client.get('/consults?status=resolved');
    expect(numbersOn(resolved.html)).toEqual([1]);
    expect(resolved.html).toContain('<option value="resolved" selected>');
    const fresh = numbersOn((await client.get('/consults?status=new')).html);
    expect(fresh).not.toContain(1);
    expect(fresh.length).toBe(newest.length - 1);
  });

  it('shows what the member wrote now, with the quoted history folded but kept', async () => {
    const body = [
      'お世話になっております。', '追加で不審な通信を確認しました。', '',
      '-----Original Message-----', '差出人: 駆け込み寺 事務局 <kakekomi@helpdesk.test>', '送信日時: 2026年11月24日 10:00',
      '件名: 受付: [KKD#1] 不審なログイン', '', 'ご相談を受け付けました。',
    ].join('\n');
    await deliverOverSmtp(t.smtpPort, buildMail({ from: MEMBERS[0].email, subject: 'Re: [KKD#1] 不審なログイン', body }).raw, { from: MEMBERS[0].email, to: [INTAKE] });
    const client = new ConsoleClient(t.baseUrl);
    await client.login(EXPERT.email, EXPERT.password);
    const page = await client.get('/consults/1');
    expect(page.html).toContain('<pre class="body">お世話になっております。\n追加で不審な通信を確認しました。</pre>');
    expect(page.html).toMatch(/<details class="quoted">\s*<summary>引用部分を表示<\/summary>\s*<pre class="body">-----Original Message-----/);
    const detail = await (await t.api('/api/tickets/1')).json();
    expect(detail.messages.at(-1).text).toContain('ご相談を受け付けました。'); // the API keeps the whole text
  });

  it('shows on the 経緯 a member\'s follow-up that reopens the consult, and a change made through the API', async () => {
    const client = new ConsoleClient(t.baseUrl);
    await client.login(EXPERT.email, EXPERT.password);
    // The follow-up above reopened the resolved consult 1.
    expect(timelineOf((await client.get('/consults/1')).html)).toContain('会員のメールにより状態を変更: 解決済み → 対応中');
    const patched = await t.api('/api/tickets/1', { method: 'PATCH', body: JSON.stringify({ status: 'closed' }), token: t.managerToken });
    expect(patched.status).toBe(200);
    expect(timelineOf((await client.get('/consults/1')).html).at(-1)).toBe('状態を変更: 対応中 → 完了（管理 花子）');
  });

  it('answers a malformed id with the Japanese not-found page in the console and not_found in the API', async () => {
    const manager = new ConsoleClient(t.baseUrl);
    await manager.login(MANAGER.email, MANAGER.password);
    for (const path of ['/consults/abc', '/consults/1.5', '/consults/99999999999', '/faq/abc', '/members/abc', '/attachments/abc']) {
      const page = await manager.get(path);
      expect({ path, status: page.status }).toEqual({ path, status: 404 });
      expect(page.html).toContain('ページが見つかりません。');
      expect(page.html).not.toContain('Validation failed');
    }
    for (const path of ['/api/tickets/abc', '/api/faq/abc']) {
      const res = await t.api(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(await res.json()).toMatchObject({ statusCode: 404, error: 'not_found' });
    }
  });

  it('goes to the last page of the queue for a page number past the end', async () => {
    const client = new ConsoleClient(t.baseUrl);
    await client.login(EXPERT.email, EXPERT.password);
    const past = await client.get('/consults?view=all&status=new&page=99');
    expect(past.status).toBe(302);
    expect(past.location).toBe('/consults?view=all&status=new&page=1');
    const last = await client.get(past.location!);
    expect(last.html).toContain('1 / 1 ページ');
    expect((await client.get('/consults?page=99999999999999999999')).location).toBe('/consults?view=all&page=1');
  });

  it('goes to the last page of the audit log and of the members for a page number past the end', async () => {
    const client = new ConsoleClient(t.baseUrl);
    await client.login(MANAGER.email, MANAGER.password);
    expect((await client.get('/audit?action=staff.login&page=999999')).location).toBe('/audit?action=staff.login&page=1');
    expect((await client.get('/members?status=active&page=999')).location).toBe('/members?status=active&page=1');
    expect((await client.get('/audit?page=99999999999999999999')).location).toBe('/audit?page=1');
    expect((await client.get('/members?page=99999999999999999999')).location).toBe('/members?page=1');
  });

  it('tells the user a form expired, not that they lack permission, when its CSRF token is stale', async () => {
    const client = new ConsoleClient(t.baseUrl);
    await client.login(EXPERT.email, EXPERT.password);
    const stale = await client.post('/consults/1/notes', { _csrf: 'token-of-an-earlier-session', body: 'メモ' });
    expect(stale.status).toBe(403);
    expect(stale.html).toContain('フォームの有効期限が切れました');
    expect(stale.html).not.toContain('権限がありません');
    // A real lack of permission still says so.
    const page = await client.get('/consults/1');
    const refused = await client.post('/consults/1/assignee', { _csrf: ConsoleClient.csrfOf(page.html), assignee: 'none', reason: 'テスト' });
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('この操作を行う権限がありません。');
  });
});
