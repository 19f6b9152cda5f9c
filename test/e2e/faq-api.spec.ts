import fs from 'fs';
import { simpleParser } from 'mailparser';
import { DataSource } from 'typeorm';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { ConsoleClient, EXPERT, MANAGER, MEMBERS, startTestServer, TestServer } from './support/test-server';

const [HIMAWARI, SAKURA] = MEMBERS;
const MEMBER_MAIL = [
  'お世話になっております。ひまわり精機の山田です。',
  '社内の PC（192.168.1.20）で Ｅｍｏｔｅｔ の感染が疑われます。どう対応すべきでしょうか。',
  '',
  '--',
  'ひまわり精機株式会社 情報システム部',
  '山田 太郎',
  'TEL: 03-1234-5678',
  'E-mail: soc@himawari.example.jp',
].join('\n');
const REPLY = 'ひまわり 様\n\n該当端末をネットワークから切り離し、EmoCheck で Emotet の感染を確認してください。さくら物産株式会社の事例でも有効でした。';

describe('FAQ over HTTP', () => {
  let t: TestServer;
  let entryId: number;
  beforeAll(async () => {
    t = await startTestServer();
    const mail = buildMail({ from: HIMAWARI.email, subject: 'Emotet の感染について', body: MEMBER_MAIL });
    await deliverOverSmtp(t.smtpPort, mail.raw, { from: HIMAWARI.email, to: ['kakekomi@helpdesk.test'] });
    const other = buildMail({ from: SAKURA.email, subject: '未解決の相談', body: 'まだ調査中です。' });
    await deliverOverSmtp(t.smtpPort, other.raw, { from: SAKURA.email, to: ['kakekomi@helpdesk.test'] });
  });
  afterAll(async () => { await t.close(); });

  it('refuses to promote a consult that is not resolved (409)', async () => {
    const res = await t.api('/api/tickets/2/faq', { method: 'POST' });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: 'faq.refused' });
  });

  it('drafts an anonymised entry from a resolved consult', async () => {
    const reply = await t.api('/api/tickets/1/replies', { method: 'POST', body: JSON.stringify({ body: REPLY, status: 'resolved' }) });
    expect(reply.status).toBe(201);
    const res = await t.api('/api/tickets/1/faq', { method: 'POST' });
    expect(res.status).toBe(201);
    const draft = await res.json();
    expect(draft).toMatchObject({ status: 'draft', category: expect.any(String) });
    entryId = draft.id;
    expect(typeof draft.id).toBe('number');
    expect(draft.question).toContain('Ｅｍｏｔｅｔ の感染が疑われます');
    expect(draft.answer).toContain('EmoCheck で Emotet の感染を確認してください');
    const all = `${draft.title}\n${draft.question}\n${draft.answer}`;
    for (const leak of ['ひまわり', '山田', '192.168.1.20', '03-1234-5678', 'soc@', 'さくら物産', 'CST-']) expect(all).not.toContain(leak);
    // An expert sees what kind of thing was replaced, never the original.
    expect(JSON.stringify(draft.replacements)).not.toContain('ひまわり');
    const asManager = await (await t.api(`/api/faq/${entryId}`, { token: t.managerToken })).json();
    expect(asManager.replacements).toEqual(expect.arrayContaining([{ kind: 'company', original: 'ひまわり精機', token: '〔会社名〕' }]));
    const audited = await t.server.app.get(DataSource).query("SELECT target_label, details FROM audit_log WHERE action = 'member.identity_viewed'");
    expect(audited).toEqual([expect.objectContaining({ target_label: HIMAWARI.clubId, details: expect.stringContaining('api.faq') })]);
  });

  it('finds nothing before publication; only managers publish', async () => {
    expect((await (await t.api('/api/faq?q=EmoCheck')).json()).items).toEqual([]);
    expect((await t.api(`/api/faq/${entryId}/publish`, { method: 'POST' })).status).toBe(403);
    const res = await t.api(`/api/faq/${entryId}/publish`, { method: 'POST', token: t.managerToken });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ id: entryId, status: 'published', liveVersion: 1 });
  });

  it('searches published entries with full-width input, best first, with highlights', async () => {
    expect((await t.api('/api/faq?q=emotet', { token: '' })).status).toBe(401);
    const res = await t.api(`/api/faq?q=${encodeURIComponent('Ｅｍｏｔｅｔ 感染')}`);
    expect(res.status).toBe(200);
    const { items } = await res.json();
    expect(items.map((i: { id: number }) => i.id)).toEqual([entryId]);
    expect(items[0].highlight.answer).toContain('<mark>Emotet</mark>');
    expect(items[0]).not.toHaveProperty('sourceConsultId');
    // Instants in Japan time like every other date of the API.
    expect(items[0].publishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/);
    expect((await (await t.api(`/api/faq?q=${encodeURIComponent('Ｅｍｏｔｅｔ')}&category=ddos`)).json()).items).toEqual([]);
    expect((await t.api('/api/faq?category=nonsense')).status).toBe(400);
  });

  it('suggests the published entry on a new consult that reads alike: on its page and in its acknowledgement', async () => {
    const mail = buildMail({ from: SAKURA.email, subject: 'Emotet に感染したかもしれません', body: '添付ファイルを開いた PC で Emotet の感染が疑われます。' });
    expect((await deliverOverSmtp(t.smtpPort, mail.raw, { from: SAKURA.email, to: ['kakekomi@helpdesk.test'] })).code).toBe(250);
    const { items } = await (await t.api(`/api/tickets?q=${encodeURIComponent('感染したかもしれません')}`)).json();
    expect(items).toHaveLength(1);
    const expert = new ConsoleClient(t.baseUrl);
    await expert.login(EXPERT.email, EXPERT.password);
    const page = await expert.get(`/consults/${items[0].number}`);
    expect(page.html).toContain(`<a href="/faq/${entryId}">FAQ#${entryId}</a>`);
    await t.flushOutbox();
    const ack = await simpleParser(fs.readFileSync(t.outboxFiles(SAKURA.email).at(-1)!));
    expect(ack.subject).toContain(`[KKD#${items[0].number}]`);
    expect(ack.text).toContain(`/help/entries/${entryId}`);
    // An unrelated consult gets no suggestion.
    const other = buildMail({ from: SAKURA.email, subject: '規程の見直し', body: '情報セキュリティ規程の改定について相談です。' });
    await deliverOverSmtp(t.smtpPort, other.raw, { from: SAKURA.email, to: ['kakekomi@helpdesk.test'] });
    await t.flushOutbox();
    expect((await simpleParser(fs.readFileSync(t.outboxFiles(SAKURA.email).at(-1)!))).text).not.toContain('/help/entries/');
  });

  it('shows the marked review page in the console, originals to managers only, with CSRF', async () => {
    const expert = new ConsoleClient(t.baseUrl);
    await expert.login(EXPERT.email, EXPERT.password);
    const consult = await expert.get('/consults/1');
    expect(consult.html).toContain('action="/consults/1/faq"');
    const page = await expert.get(`/faq/${entryId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<mark class="token">〔会社名〕</mark>');
    expect(page.html).not.toContain('ひまわり精機');
    // Promoting again opens the existing entry.
    const again = await expert.post('/consults/1/faq', { _csrf: ConsoleClient.csrfOf(consult.html) });
    expect(again.location).toBe(`/faq/${entryId}`);
    expect((await expert.post(`/faq/${entryId}/archive`, { _csrf: ConsoleClient.csrfOf(page.html) })).status).toBe(403);
    expect((await expert.post(`/faq/${entryId}`, { title: 'x', question: 'x', answer: 'x', category: 'malware' })).status).toBe(403);

    const manager = new ConsoleClient(t.baseUrl);
    await manager.login(MANAGER.email, MANAGER.password);
    const managed = await manager.get(`/faq/${entryId}`);
    expect(managed.html).toContain('ひまわり精機');
    const list = await manager.get(`/faq?q=${encodeURIComponent('ＥｍｏＣｈｅｃｋ')}`);
    expect(list.html).toContain('<mark>EmoCheck</mark>');
  });

  it('re-renders the edit form with a Japanese message, and refuses to publish identity typed back', async () => {
    const manager = new ConsoleClient(t.baseUrl);
    await manager.login(MANAGER.email, MANAGER.password);
    const page = await manager.get(`/faq/${entryId}`);
    const csrf = ConsoleClient.csrfOf(page.html);
    const empty = await manager.post(`/faq/${entryId}`, { _csrf: csrf, title: '', question: 'q', answer: 'a', category: 'malware' });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('タイトルを入力してください。');
    const saved = await manager.post(`/faq/${entryId}`, { _csrf: csrf, title: 'Emotet 感染時の対応', question: '感染が疑われます。', answer: '山田 太郎 さんに確認してください。', category: 'malware' });
    expect(saved.status).toBe(303);
    const refused = await manager.post(`/faq/${entryId}/publish`, { _csrf: csrf });
    expect(refused.status).toBe(409);
    expect(refused.html).toContain('会員を特定できる情報が残っているため公開できません');
    // Members still read version 1 meanwhile.
    expect((await (await t.api('/api/faq?q=EmoCheck')).json()).items.map((i: { version: number }) => i.version)).toEqual([1]);
  });
});
