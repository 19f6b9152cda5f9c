import fs from 'fs';
import { simpleParser } from 'mailparser';
import { DataSource } from 'typeorm';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { ConsoleClient, EXPERT, MEMBERS, startTestServer, TestServer } from './support/test-server';

const INTAKE = 'kakekomi@helpdesk.test';
const himawari = MEMBERS[0];
const LIMIT = 64 * 1024;
/** A small but real PDF (header, one object, trailer): the bytes the member must receive unchanged. */
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n%'), Buffer.from([0xe2, 0xe3, 0xcf, 0xd3]), Buffer.from('\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n')]);
const EXE = Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]);

const unescape = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
const textarea = (html: string, id: string) => unescape(new RegExp(`<textarea id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1] ?? '');
const sentList = (html: string) => html.slice(html.indexOf('<section class="outbound"'));

describe('files out: attachments on expert replies (console over HTTP, multipart, no JavaScript)', () => {
  let t: TestServer;
  let expert: ConsoleClient;
  let number: number;
  const outboundCount = async () => Number((await t.server.app.get(DataSource).query("SELECT COUNT(*) AS n FROM outbound_mails WHERE kind = 'reply'"))[0].n);

  /** Posts the reply form as a browser does with a file input: multipart, fields in document order. */
  async function postReply(client: ConsoleClient, fields: { body: string; files?: [string, Buffer][]; csrf?: boolean }) {
    const page = await client.get(`/consults/${number}`);
    const form = new FormData();
    if (fields.csrf !== false) form.append('_csrf', ConsoleClient.csrfOf(page.html));
    form.append('seenMessageId', /name="seenMessageId" value="(\d+)"/.exec(page.html)![1]);
    form.append('body', fields.body);
    form.append('status', 'waiting_member');
    for (const [name, bytes] of fields.files ?? []) form.append('files', new Blob([bytes]), name);
    form.append('action', 'send');
    const res = await fetch(`${t.baseUrl}/consults/${number}/reply`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie: client.cookieHeader() } });
    return { status: res.status, html: await res.text(), location: res.headers.get('location') };
  }

  beforeAll(async () => {
    t = await startTestServer({ REPLY_ATTACHMENT_MAX_BYTES: String(LIMIT) });
    expert = new ConsoleClient(t.baseUrl);
    await expert.login(EXPERT.email, EXPERT.password);
    const mail = buildMail({ from: himawari.email, subject: '不審なログの解析依頼', body: 'ファイアウォールのログに不審な通信があります。' });
    expect((await deliverOverSmtp(t.smtpPort, mail.raw, { from: himawari.email, to: [INTAKE] })).code).toBe(250);
    number = (await (await t.api('/api/tickets')).json()).items[0].number;
    await t.flushOutbox(); // the acknowledgement
  });
  afterAll(async () => { await t.close(); });

  it('offers a labelled multiple file input in a multipart reply form', async () => {
    const { html } = await expert.get(`/consults/${number}`);
    expect(html).toMatch(/<form[^>]*id="reply-form"[^>]*enctype="multipart\/form-data"/);
    expect(html).toContain('<label for="reply-files">');
    expect(html).toMatch(/<input type="file" id="reply-files" name="files" multiple accept="[^"]*\.pdf/);
    expect(html).toContain('合計 64.0 KB まで');
  });

  it('refuses a reply without the CSRF token (403) and queues nothing', async () => {
    const res = await postReply(expert, { body: 'CSRFなしの回答', files: [['report.pdf', PDF]], csrf: false });
    expect(res.status).toBe(403);
    expect(await outboundCount()).toBe(0);
  });

  it('refuses files over the limit with a Japanese message, keeps the text and sends nothing', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(LIMIT, 0x20)]);
    const res = await postReply(expert, { body: '大きすぎる添付の回答です。', files: [['large.pdf', big]] });
    expect(res.status).toBe(400);
    expect(res.html).toContain('添付ファイルの合計サイズが上限（64.0 KB）を超えています。');
    expect(textarea(res.html, 'reply-body')).toBe('大きすぎる添付の回答です。');
    // Together over the limit, each one under it.
    const half = Buffer.concat([PDF, Buffer.alloc(LIMIT / 2, 0x20)]);
    const two = await postReply(expert, { body: '二つ合わせて上限超え', files: [['a.pdf', half], ['b.pdf', half]] });
    expect(two.status).toBe(400);
    expect(two.html).toContain('合計サイズが上限');
    await t.flushOutbox();
    expect(await outboundCount()).toBe(0);
    expect(t.outboxFiles(himawari.email)).toHaveLength(1); // the acknowledgement only
  });

  it('refuses a type outside the allow-list and a file whose content does not match its extension', async () => {
    const exe = await postReply(expert, { body: 'ツールを送ります。', files: [['tool.exe', EXE]] });
    expect(exe.status).toBe(400);
    expect(exe.html).toContain('「tool.exe」は添付できない種類のファイルです');
    expect(textarea(exe.html, 'reply-body')).toBe('ツールを送ります。');
    const disguised = await postReply(expert, { body: '請求書です。', files: [['invoice.pdf', EXE]] });
    expect(disguised.status).toBe(400);
    expect(disguised.html).toContain('「invoice.pdf」の内容が拡張子（.pdf）と一致しないため添付できません。');
    const many = await postReply(expert, { body: 'ログを全部送ります。', files: Array.from({ length: 11 }, (_, i): [string, Buffer] => [`part${i}.log`, Buffer.from(`log ${i}\n`)]) });
    expect(many.status).toBe(400);
    expect(many.html).toContain('添付できるファイルは10個までです。');
    expect(textarea(many.html, 'reply-body')).toBe('ログを全部送ります。');
    expect(await outboundCount()).toBe(0);
  });

  it('sends the PDF through the outbox with identical bytes and a Japanese file name, and shows it as queued then sent', async () => {
    const res = await postReply(expert, { body: '解析結果を添付します。', files: [['解析報告書 第1版.pdf', PDF]] });
    expect(res.status).toBe(303);
    const queued = sentList((await expert.get(`/consults/${number}`)).html);
    expect(queued).toContain('解析報告書 第1版.pdf');
    expect(queued).toContain('送信待ち');

    await t.flushOutbox();
    const files = t.outboxFiles(himawari.email);
    expect(files).toHaveLength(2);
    const parsed = await simpleParser(fs.readFileSync(files[1]));
    expect(parsed.text).toContain('解析結果を添付します。');
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0].filename).toBe('解析報告書 第1版.pdf');
    expect(parsed.attachments[0].contentType).toBe('application/pdf');
    expect(Buffer.compare(parsed.attachments[0].content, PDF)).toBe(0);
    // The Japanese name travels RFC 2231-encoded (ASCII-only headers).
    expect(fs.readFileSync(files[1], 'latin1')).toMatch(/filename\*(0\*)?=utf-8''/i);

    const sent = sentList((await expert.get(`/consults/${number}`)).html);
    const row = sent.split('<tr class="outbound-mail">').find((r) => r.includes('解析報告書'))!;
    expect(row).toContain('送信済み');
    expect(row).toContain(`会員 ${himawari.nickname} ${himawari.clubId}`);
    expect(row).toMatch(/解析報告書 第1版\.pdf（\d+ B）/);
  });

  // (A manager's view, with the address, is covered by consult.view-model.spec.ts: managers sign in with a second factor.)
  it('names the recipient by nickname and club ID: an expert never sees the address', async () => {
    const asExpert = (await expert.get(`/consults/${number}`)).html;
    expect(asExpert).toContain(`会員 ${himawari.nickname} ${himawari.clubId}`);
    expect(asExpert).not.toContain(himawari.email);
  });

  it('shows a mail the member’s server returned as 不達', async () => {
    const ds = t.server.app.get(DataSource);
    await ds.query("UPDATE outbound_mails SET status = 'bounced' WHERE kind = 'reply'");
    const row = sentList((await expert.get(`/consults/${number}`)).html).split('<tr class="outbound-mail">').find((r) => r.includes('解析報告書'))!;
    expect(row).toContain('不達');
  });

  it('still sends a reply without files from the same form', async () => {
    const res = await postReply(expert, { body: '追加のご連絡です。' });
    expect(res.status).toBe(303);
    await t.flushOutbox();
    const parsed = await simpleParser(fs.readFileSync(t.outboxFiles(himawari.email)[2]));
    expect(parsed.text).toContain('追加のご連絡です。');
    expect(parsed.attachments).toHaveLength(0);
  });
});
