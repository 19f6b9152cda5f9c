import { StaffService } from '@kkd/staff';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { ConsoleClient, EXPERT, MANAGER, MEMBERS, startTestServer, TestServer } from './support/test-server';

const INTAKE = 'kakekomi@helpdesk.test';

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
});
