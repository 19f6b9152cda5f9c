import fs from 'fs';
import { simpleParser } from 'mailparser';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { ConsoleClient, MEMBERS, startTestServer, TestServer } from './support/test-server';

const [HIMAWARI, SAKURA] = MEMBERS;
const mcsrf = (html: string) => /name="_mcsrf" value="([^"]+)"/.exec(html)![1];

describe('member FAQ pages (/help) with one-time-link sign-in', () => {
  let t: TestServer;
  let entryId: number;
  let draftId: number;
  beforeAll(async () => {
    t = await startTestServer();
    for (const [from, subject] of [[HIMAWARI.email, 'Emotet の感染について'], [SAKURA.email, 'さくらの未解決の相談'], [HIMAWARI.email, 'VPN の件']]) {
      await deliverOverSmtp(t.smtpPort, buildMail({ from, subject, body: `${subject}。どう対応すべきでしょうか。` }).raw, { from, to: ['kakekomi@helpdesk.test'] });
    }
    await t.api('/api/tickets/1/replies', { method: 'POST', body: JSON.stringify({ body: 'EmoCheck で Emotet の感染を確認し、端末を隔離してください。', status: 'resolved' }) });
    await t.api('/api/tickets/3/replies', { method: 'POST', body: JSON.stringify({ body: 'VPN 装置のファームウェアを更新してください。', status: 'resolved' }) });
    entryId = (await (await t.api('/api/tickets/1/faq', { method: 'POST' })).json()).id;
    draftId = (await (await t.api('/api/tickets/3/faq', { method: 'POST' })).json()).id;
    await t.api(`/api/faq/${entryId}/publish`, { method: 'POST', token: t.managerToken });
  });
  afterAll(async () => { await t.close(); });

  /** The sign-in link of the last mail to an address. */
  const lastLink = async (to: string) => {
    await t.flushOutbox();
    const files = t.outboxFiles(to);
    const mail = await simpleParser(fs.readFileSync(files[files.length - 1]));
    expect(mail.subject).toBe('【駆け込み寺】FAQ ログイン用リンク');
    return new URL(/https?:\/\/\S+\/help\/login\/[A-Za-z0-9_-]+/.exec(mail.text ?? '')![0]).pathname;
  };
  const signIn = async (member: ConsoleClient, email: string) => {
    const form = await member.get('/help/login');
    const sent = await member.post('/help/login', { _mcsrf: mcsrf(form.html), email });
    expect(sent.status).toBe(200);
    const path = await lastLink(email);
    const confirm = await member.get(path);
    return { path, done: await member.post(path, { _mcsrf: mcsrf(confirm.html) }) };
  };

  it('asks members to sign in first and tells no one whether an address is registered', async () => {
    const anonymous = new ConsoleClient(t.baseUrl);
    expect((await anonymous.get('/help')).location).toBe('/help/login');
    const form = await anonymous.get('/help/login');
    expect(form.html).toContain('<label for="help-email">メールアドレス</label>');
    await t.flushOutbox();
    const before = t.outboxFiles().length;
    const unknown = await anonymous.post('/help/login', { _mcsrf: mcsrf(form.html), email: 'stranger@example.com' });
    expect(unknown.status).toBe(200);
    expect(unknown.html).toContain('ご登録のメールアドレスであれば');
    await t.flushOutbox();
    expect(t.outboxFiles().length).toBe(before);
    expect((await anonymous.post('/help/login', { _mcsrf: 'forged', email: HIMAWARI.email })).status).toBe(403);
  });

  it('signs in with the mailed link once, and shows published entries only', async () => {
    const member = new ConsoleClient(t.baseUrl);
    const { path, done } = await signIn(member, HIMAWARI.email);
    expect(done.status).toBe(303);
    expect(done.location).toBe('/help');
    const index = await member.get('/help');
    expect(index.status).toBe(200);
    expect(index.html).toContain(`/help/entries/${entryId}`);
    expect(index.html).not.toContain(`/help/entries/${draftId}`);
    const found = await member.get(`/help?q=${encodeURIComponent('Ｅｍｏｃｈｅｃｋ')}`);
    expect(found.html).toContain('<mark>EmoCheck</mark>');
    const page = await member.get(`/help/entries/${entryId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('EmoCheck で Emotet の感染を確認し');
    expect(page.html).not.toMatch(/KKD#1\b/); // the source consult is never shown
    expect((await member.get(`/help/entries/${draftId}`)).status).toBe(404);

    // The link is single use.
    const again = new ConsoleClient(t.baseUrl);
    const confirm = await again.get(path);
    const reused = await again.post(path, { _mcsrf: mcsrf(confirm.html) });
    expect(reused.status).toBe(400);
    expect(reused.html).toContain('このリンクは無効か');
  });

  it('shows a member their own consults, never another member\'s', async () => {
    const member = new ConsoleClient(t.baseUrl);
    await signIn(member, HIMAWARI.email);
    const own = await member.get('/help/consults');
    expect(own.html).toContain('KKD#1');
    expect(own.html).toContain('KKD#3');
    expect(own.html).not.toContain('KKD#2');
    expect(own.html).not.toContain('さくら');
    expect(own.html).toMatch(/<td>(新規|対応中|会員の返答待ち|解決済み|完了)<\/td>/);
    expect(own.html).not.toContain('[object Object]');
    const logout = await member.post('/help/logout', { _mcsrf: mcsrf(own.html) });
    expect(logout.location).toBe('/help/login');
    expect((await member.get('/help')).location).toBe('/help/login');
  });

  it('opens the FAQ to anyone when an admin says so; own consults still need sign-in', async () => {
    const admin = new ConsoleClient(t.baseUrl);
    await admin.login('admin@helpdesk.test', 'admin-password-123');
    const list = await admin.get('/faq');
    expect(list.html).toMatch(/faq-status-published">公開中</);
    expect(list.html).not.toContain('[object Object]');
    const saved = await admin.post('/faq/settings', { _csrf: ConsoleClient.csrfOf(list.html), public: 'on' });
    expect(saved.status).toBe(303);
    const anonymous = new ConsoleClient(t.baseUrl);
    expect((await anonymous.get('/help')).status).toBe(200);
    expect((await anonymous.get(`/help/entries/${entryId}`)).status).toBe(200);
    expect((await anonymous.get('/help/consults')).location).toBe('/help/login');
  });
});
