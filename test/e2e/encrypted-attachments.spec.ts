import fs from 'fs';
import path from 'path';
import { simpleParser } from 'mailparser';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { ConsoleClient, EXPERT, MEMBERS, startTestServer, TestServer } from './support/test-server';

const INTAKE = 'kakekomi@helpdesk.test';
const member = MEMBERS[0];
const fixture = (name: string) => fs.readFileSync(path.resolve(__dirname, '../fixtures/attachments', name));

describe('encrypted attachments ("PPAP")', () => {
  let t: TestServer;
  beforeAll(async () => { t = await startTestServer(); });
  afterAll(async () => { await t.close(); });

  const send = async (mail: Parameters<typeof buildMail>[0], from = member.email) =>
    expect((await deliverOverSmtp(t.smtpPort, buildMail(mail).raw, { from, to: [INTAKE] })).code).toBe(250);
  const notices = async () => {
    await t.flushOutbox();
    const mails = await Promise.all(t.outboxFiles().map(async (f) => simpleParser(fs.readFileSync(f))));
    return mails.filter((m) => m.subject?.startsWith('暗号化ファイルについて'));
  };

  it('flags the file, tells the member once, and joins the password mail to the same consult', async () => {
    await send({ from: member.email, subject: '調査資料の送付', attachment: { filename: '調査資料.zip', content: fixture('encrypted-zipcrypto.zip'), contentType: 'application/zip' } });
    const number = (await (await t.api('/api/tickets?q=調査資料の送付')).json()).items[0].number;
    let detail = await (await t.api(`/api/tickets/${number}`)).json();
    expect(detail.attachments).toEqual([expect.objectContaining({ filename: '調査資料.zip', encrypted: true })]);
    const [notice, ...more] = await notices();
    expect(more).toHaveLength(0);
    expect(notice.subject).toBe(`暗号化ファイルについて: [KKD#${number}] 調査資料の送付`);
    expect(notice.text).toContain('利用規約第40条第3項');
    expect(notice.text).toContain('調査資料.zip');
    expect(notice.headers.get('auto-submitted')).toBe('auto-replied');

    // The password follows in a separate mail without any reference: it joins the consult.
    await send({ from: member.email, subject: '[パスワード通知] 調査資料の送付', body: 'パスワード: Xy7#pQ2m' });
    detail = await (await t.api(`/api/tickets/${number}`)).json();
    expect(detail.messages.map((m: { text: string }) => m.text.trim())).toContain('パスワード: Xy7#pQ2m');
    expect((await (await t.api('/api/tickets')).json()).total).toBe(1);

    // Another encrypted file in the same consult: no second notice.
    await send({ from: member.email, subject: `Re: [KKD#${number}] 調査資料の送付`, attachment: { filename: 'report.pdf', content: fixture('encrypted-aes256.pdf'), contentType: 'application/pdf' } });
    expect(await notices()).toHaveLength(1);

    const client = new ConsoleClient(t.baseUrl);
    await client.login(EXPERT.email, EXPERT.password);
    const page = await client.get(`/consults/${number}`);
    expect(page.html).toContain('暗号化された添付ファイルがあります');
    expect(page.html).toMatch(/調査資料\.zip<\/a> \(\d+ KB\) <span class="badge warn">暗号化<\/span>/);
  });

  it('opens new consults for mails that only talk about passwords, within minutes of the file', async () => {
    // The acceptance tester's case: both mails were appended to the ZIP consult, unacknowledged.
    const sakura = MEMBERS[1];
    const zipSubject = 'Emotetと思われるメールを開封してしまいました';
    await send({
      from: sakura.email, subject: zipSubject, body: '添付ファイル（パスワード付きZIP）を転送します。パスワードは別メールで送ります。',
      attachment: { filename: '請求書_パスワード付き.zip', content: fixture('encrypted-zipcrypto.zip'), contentType: 'application/zip' },
    }, sakura.email);
    const zipNumber = (await (await t.api(`/api/tickets?q=${encodeURIComponent(zipSubject)}`)).json()).items[0].number;
    const incidents = [
      ['フィッシングサイトにID/パスワードを入力してしまった', 'さくらです。\n社員が宅配業者を装ったSMSのリンクからID/パスワードを入力してしまいました。\nパスワード変更以外に必要な対応はありますか。\n\n-------------\nさくら物産株式会社 総務部\nTel: 06-2345-6789\n'],
      ['VPNのパスワード使い回しについて', 'さくらです。VPNのパスワードを他サービスと使い回している社員がいます。リスクを教えてください。'],
    ];
    for (const [subject, body] of incidents) await send({ from: sakura.email, subject, body }, sakura.email);

    await t.flushOutbox();
    const acknowledged = await Promise.all(t.outboxFiles(sakura.email).map(async (f) => (await simpleParser(fs.readFileSync(f))).subject));
    for (const [subject] of incidents) {
      const { items } = await (await t.api(`/api/tickets?q=${encodeURIComponent(subject)}`)).json();
      expect(items).toEqual([expect.objectContaining({ subject })]);
      expect(items[0].number).not.toBe(zipNumber);
      expect(acknowledged).toContain(`受付: [KKD#${items[0].number}] ${subject}`);
    }
    expect((await (await t.api(`/api/tickets/${zipNumber}`)).json()).messages).toHaveLength(1);

    // The real password mail still joins the file's consult.
    await send({ from: sakura.email, subject: 'パスワードのお知らせ', body: '先ほどお送りしたファイルのパスワードです。\n\nパスワード：Xy7#k2pQ' }, sakura.email);
    const messages = (await (await t.api(`/api/tickets/${zipNumber}`)).json()).messages as { text: string }[];
    expect(messages.map((m) => m.text)).toEqual([expect.stringContaining('別メールで送ります'), expect.stringContaining('パスワード：Xy7#k2pQ')]);
  });

  it('leaves plain files alone', async () => {
    await send({ from: MEMBERS[1].email, subject: 'ログの送付', attachment: { filename: 'logs.zip', content: fixture('plain.zip'), contentType: 'application/zip' } });
    const number = (await (await t.api('/api/tickets?q=ログの送付')).json()).items[0].number;
    expect((await (await t.api(`/api/tickets/${number}`)).json()).attachments).toEqual([expect.objectContaining({ encrypted: false })]);
  });
});
