import fs from 'fs';
import { simpleParser } from 'mailparser';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { ConsoleClient, EXPERT, MANAGER, MEMBERS, startTestServer, TestServer } from './support/test-server';

const INTAKE = 'kakekomi@helpdesk.test';
const himawari = MEMBERS[0];
/** The contact person the member factory gives every member (identity an expert never sees). */
const CONTACT = '山田 太郎';
const TEMPLATE = '{ニックネーム}（{会員ID}）様\n\n{受付番号}について、{回答期限}までに{担当者名}から状況をお知らせします。\nまず端末をネットワークから外してください。';
const SIGNATURE = 'CSIRT倶楽部 駆け込み寺 事務局\n電話: 03-0000-0000（平日 9:00〜17:30）';

/** What Handlebars escapes, back to text. */
const unescape = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=').replace(/&#x60;/g, '`').replace(/&amp;/g, '&');
const textarea = (html: string, id: string) => unescape(new RegExp(`<textarea id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1] ?? '');
const hiddenIds = (html: string) => /name="cannedReplyIds" value="([^"]*)"/.exec(html)?.[1];
/** A template's row on the managers' list. */
const rowOf = (html: string, id: string) => html.slice(html.indexOf(`<tr id="reply-${id}"`)).split('</tr>')[0];

describe('canned replies, reply preview and signature (console over HTTP, no JavaScript)', () => {
  let t: TestServer;
  let manager: ConsoleClient;
  let expert: ConsoleClient;
  let number: number;
  let templateId: string;
  beforeAll(async () => {
    t = await startTestServer();
    manager = new ConsoleClient(t.baseUrl);
    await manager.login(MANAGER.email, MANAGER.password);
    expert = new ConsoleClient(t.baseUrl);
    await expert.login(EXPERT.email, EXPERT.password);
    const mail = buildMail({ from: himawari.email, subject: 'ランサムウェアに感染しました', body: 'ファイルが暗号化されました。至急ご相談です。' });
    expect((await deliverOverSmtp(t.smtpPort, mail.raw, { from: himawari.email, to: [INTAKE] })).code).toBe(250);
    number = (await (await t.api('/api/tickets')).json()).items[0].number;
  });
  afterAll(async () => { await t.close(); });

  it('lets only managers manage the templates and the signature', async () => {
    const csrf = ConsoleClient.csrfOf((await expert.get('/consults')).html);
    expect((await expert.get('/canned-replies')).status).toBe(403);
    expect((await expert.get('/canned-replies/1/edit')).status).toBe(403);
    expect((await expert.post('/canned-replies', { _csrf: csrf, category: '', title: '勝手な定型文', body: 'x' })).status).toBe(403);
    expect((await expert.post('/canned-replies/1', { _csrf: csrf, category: '', title: 'x', body: 'x' })).status).toBe(403);
    expect((await expert.post('/canned-replies/1/delete', { _csrf: csrf })).status).toBe(403);
    expect((await expert.post('/canned-replies/signature', { _csrf: csrf, signature: '偽の署名' })).status).toBe(403);
    expect((await expert.get('/consults')).html).not.toContain('href="/canned-replies"');
    const page = await manager.get('/canned-replies');
    expect(page.status).toBe(200);
    expect(page.html).toContain('定型文はまだありません。');
    expect((await manager.post('/canned-replies', { category: '', title: 'CSRFなし', body: 'x' })).status).toBe(403);
  });

  it('documents the placeholders and keeps the input with Japanese messages when a template is refused', async () => {
    const page = await manager.get('/canned-replies');
    for (const token of ['{ニックネーム}', '{会員ID}', '{受付番号}', '{回答期限}', '{担当者名}']) expect(page.html).toContain(`<code>${token}</code>`);
    const csrf = ConsoleClient.csrfOf(page.html);
    const empty = await manager.post('/canned-replies', { _csrf: csrf, category: 'ransomware', title: ' ', body: '<本文>' });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('題名を入力してください。');
    expect(empty.html).toContain('>&lt;本文&gt;</textarea>');
    expect(empty.html).toContain('<option value="ransomware" selected>ランサムウェア</option>');
    const identity = await manager.post('/canned-replies', { _csrf: csrf, category: '', title: '会社名入り', body: '{会社名}御中' });
    expect(identity.status).toBe(400);
    expect(identity.html).toContain('{会社名} は使えない差し込み項目です。');
    expect(identity.html).toContain('value="会社名入り"');
  });

  it('adds, edits and lists a template; sets the signature', async () => {
    let page = await manager.get('/canned-replies');
    const csrf = ConsoleClient.csrfOf(page.html);
    const added = await manager.post('/canned-replies', { _csrf: csrf, category: 'ransomware', title: '初動のお願い<b>', body: TEMPLATE });
    expect(added.status).toBe(303);
    templateId = /#reply-(\d+)$/.exec(added.location!)![1];
    const edit = await manager.get(`/canned-replies/${templateId}/edit`);
    expect(edit.html).toContain('定型文を編集');
    expect(edit.html).toContain(`action="/canned-replies/${templateId}"`);
    expect(textarea(edit.html, 'canned-body')).toBe(TEMPLATE);
    expect((await manager.post(`/canned-replies/${templateId}`, { _csrf: csrf, category: 'ransomware', title: '初動のお願い', body: TEMPLATE })).status).toBe(303);
    expect((await manager.get('/canned-replies/999999/edit')).status).toBe(404);

    expect((await manager.post('/canned-replies/signature', { _csrf: csrf, signature: ' ' })).html).toContain('署名を入力してください。');
    const saved = await manager.post('/canned-replies/signature', { _csrf: csrf, signature: SIGNATURE.replace(/\n/g, '\r\n') });
    expect(saved.status).toBe(303);
    page = await manager.get(saved.location!);
    expect(page.html).toContain('署名を保存しました。');
    expect(textarea(page.html, 'signature-text')).toBe(SIGNATURE);
    expect(page.html).toContain('<h3 class="rule-group">ランサムウェア</h3>');
    const row = rowOf(page.html, templateId);
    expect(row).toContain('<td>初動のお願い</td>');
    expect(row).toContain('<td class="usage-count">0回</td>');
    expect(row).toContain('未使用');
  });

  it('lets an expert insert a template: filled for the consult, typed text kept, no member identity', async () => {
    const page = await expert.get(`/consults/${number}`);
    expect(page.html).toContain('<optgroup label="この相談の分類（ランサムウェア）">');
    expect(page.html).toContain(`<option value="${templateId}">初動のお願い</option>`);
    const csrf = ConsoleClient.csrfOf(page.html);
    const none = await expert.post(`/consults/${number}/reply`, { _csrf: csrf, action: 'insert', template: '', body: '途中まで' });
    expect(none.status).toBe(400);
    expect(none.html).toContain('挿入する定型文を選んでください。');
    expect(textarea(none.html, 'reply-body')).toBe('途中まで');

    const inserted = await expert.post(`/consults/${number}/reply`, { _csrf: csrf, action: 'insert', template: templateId, body: 'お世話になっております。\n', cannedReplyIds: '' });
    expect(inserted.status).toBe(200);
    const draft = textarea(inserted.html, 'reply-body');
    const dueAt = (await (await t.api(`/api/tickets/${number}`)).json()).dueAt as string;
    const [, y, mo, d, h, mi] = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)/.exec(dueAt)!;
    expect(draft).toMatch(new RegExp(`^お世話になっております。\\n\\nひまわり（CST-00123）様\\n\\nKKD#${number}について、${y}/${mo}/${d}\\(.\\) ${h}:${mi}までに${EXPERT.name}から状況をお知らせします。\\n`));
    expect(draft).not.toMatch(/[{｛]/);
    expect(hiddenIds(inserted.html)).toBe(templateId);
    expect(inserted.html).toContain('定型文「初動のお願い」を挿入しました。');
    for (const secret of [himawari.email, himawari.company, CONTACT]) expect(inserted.html).not.toContain(secret);
  });

  it('previews the mail exactly as the member will receive it, sending nothing and keeping the draft', async () => {
    await t.flushOutbox();
    const before = t.outboxFiles(himawari.email).length; // the acknowledgement
    const page = await expert.get(`/consults/${number}`);
    const body = 'ひまわり（CST-00123）様\n\nまず端末をネットワークから外してください。<確認>';
    const preview = await expert.post(`/consults/${number}/reply`, { _csrf: ConsoleClient.csrfOf(page.html), action: 'preview', body, status: 'open', cannedReplyIds: templateId });
    expect(preview.status).toBe(200);
    expect(preview.html).toContain('プレビュー（まだ送信していません）');
    expect(preview.html).toContain(`<dd class="reply-preview-subject">Re: [KKD#${number}] ランサムウェアに感染しました</dd>`);
    const shown = unescape(/<pre class="body reply-preview-text">([\s\S]*?)<\/pre>/.exec(preview.html)![1]);
    expect(shown.startsWith(`ひまわり CST-00123 様\n\n${body}\n`)).toBe(true);
    expect(shown).toContain(`担当: ${EXPERT.name}（セキュリティエキスパート）`);
    expect(shown.trimEnd().endsWith(`--\n${SIGNATURE}`)).toBe(true);
    expect(textarea(preview.html, 'reply-body')).toBe(body);
    expect(hiddenIds(preview.html)).toBe(templateId);
    expect(preview.html).toContain('<option value="open" selected>');
    for (const secret of [himawari.email, himawari.company, CONTACT]) expect(preview.html).not.toContain(secret);

    const empty = await expert.post(`/consults/${number}/reply`, { _csrf: ConsoleClient.csrfOf(page.html), action: 'preview', body: ' ', cannedReplyIds: templateId });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('本文を入力してください。');
    expect(hiddenIds(empty.html)).toBe(templateId);

    await t.flushOutbox();
    expect(t.outboxFiles(himawari.email)).toHaveLength(before);
    const detail = await (await t.api(`/api/tickets/${number}`)).json();
    expect(detail.messages.filter((m: { direction: string }) => m.direction === 'outbound')).toHaveLength(0);
  });

  it('sends the reply ending with the signature and counts one use of the template', async () => {
    const page = await expert.get(`/consults/${number}`);
    const body = 'ひまわり（CST-00123）様\n\nまず端末をネットワークから外してください。';
    const sent = await expert.post(`/consults/${number}/reply`, {
      _csrf: ConsoleClient.csrfOf(page.html), action: 'send', body, status: 'waiting_member', cannedReplyIds: templateId,
      seenMessageId: /name="seenMessageId" value="(\d+)"/.exec(page.html)![1],
    });
    expect(sent.status).toBe(303);
    await t.flushOutbox();
    const mail = await simpleParser(fs.readFileSync(t.outboxFiles(himawari.email).at(-1)!));
    expect(mail.subject).toBe(`Re: [KKD#${number}] ランサムウェアに感染しました`);
    const text = mail.text!.replace(/\r\n/g, '\n');
    expect(text.startsWith(`ひまわり CST-00123 様\n\n${body}\n`)).toBe(true);
    expect(text.trimEnd().endsWith(`--\n${SIGNATURE}`)).toBe(true);

    const list = await manager.get('/canned-replies');
    const row = rowOf(list.html, templateId);
    expect(row).toContain('<td class="usage-count">1回</td>');
    expect(row).not.toContain('未使用');
    expect(row).toMatch(/<td>\d{4}\/\d\d\/\d\d\(.\) \d\d:\d\d<\/td>/);
  });

  it('escapes template titles and says so when a chosen template was deleted meanwhile', async () => {
    const list = await manager.get('/canned-replies');
    const csrf = ConsoleClient.csrfOf(list.html);
    const added = await manager.post('/canned-replies', { _csrf: csrf, category: '', title: '<script>alert(1)</script>', body: '一時的な定型文' });
    const id = /#reply-(\d+)$/.exec(added.location!)![1];
    const page = await expert.get(`/consults/${number}`);
    expect(page.html).toContain('<optgroup label="共通（すべての分類）">');
    expect(page.html).toContain(`<option value="${id}">&lt;script&gt;alert(1)&lt;/script&gt;</option>`);
    expect(page.html).not.toContain('<script>alert(1)');
    expect((await manager.get('/canned-replies')).html).not.toContain('<script>alert(1)');
    expect((await manager.post(`/canned-replies/${id}/delete`, { _csrf: csrf })).status).toBe(303);
    const gone = await expert.post(`/consults/${number}/reply`, { _csrf: ConsoleClient.csrfOf(page.html), action: 'insert', template: id, body: '書きかけ' });
    expect(gone.status).toBe(400);
    expect(gone.html).toContain('この定型文は見つかりません（削除された可能性があります）。');
    expect(textarea(gone.html, 'reply-body')).toBe('書きかけ');
    expect((await manager.get('/canned-replies')).html).not.toContain(`id="reply-${id}"`);
  });
});
