import fs from 'fs';
import { simpleParser } from 'mailparser';
import { HeldMailRepository } from '@kkd/inbox';
import { MemberImportService } from '@kkd/membership';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { EXPERT, MEMBERS, startTestServer, TestServer } from './support/test-server';

const INTAKE = 'kakekomi@helpdesk.test';
const himawari = MEMBERS[0];

describe('mail in, consult in the API, reply out (real SMTP, real server)', () => {
  let t: TestServer;
  beforeAll(async () => { t = await startTestServer(); });
  afterAll(async () => { await t.close(); });

  it('opens a consult from a member mail, acknowledges it, and threads the reply', async () => {
    const mail = buildMail({ from: `山田 <${himawari.email}>`, subject: 'ランサムウェア感染の疑い', body: 'ファイルが暗号化されました。\n至急ご相談です。' });
    const result = await deliverOverSmtp(t.smtpPort, mail.raw, { from: himawari.email, to: [INTAKE] });
    expect(result.code).toBe(250);

    const list = await (await t.api('/api/tickets')).json();
    expect(list.total).toBe(1);
    const item = list.items[0];
    // Triage reads ランサムウェア/暗号化され/至急; the only ransomware expert gets it.
    expect(item).toMatchObject({ number: 1, subject: 'ランサムウェア感染の疑い', status: 'new', member: { displayName: 'ひまわり CST-00123' }, assignee: EXPERT.email });
    expect(item.receivedAt).toMatch(/\+09:00$/);
    expect(item.dueAt).toMatch(/T17:00:00\+09:00$/);
    expect(item.slaState).toMatch(/^(on_track|at_risk)$/);
    // Experts never see who the member is.
    expect(JSON.stringify(list)).not.toContain(himawari.email);
    expect(JSON.stringify(list)).not.toContain(himawari.company);

    const detail = await (await t.api('/api/tickets/1')).json();
    expect(detail.messages).toEqual([expect.objectContaining({ direction: 'inbound', text: expect.stringContaining('ファイルが暗号化されました。'), receivedAt: expect.stringMatching(/\+09:00$/) })]);
    expect(JSON.stringify(detail)).not.toContain(himawari.email);

    expect(detail).toMatchObject({ category: 'ransomware', priority: 'urgent' });

    // The acknowledgement goes out through the outbox, and the expert is told it is theirs.
    await t.flushOutbox();
    const [notice] = t.outboxFiles(EXPERT.email);
    const assigned = await simpleParser(fs.readFileSync(notice));
    expect(assigned.subject).toBe('【担当割当】[KKD#1] ランサムウェア感染の疑い');
    expect(assigned.text).toContain('ランサムウェア担当・担当数 0/5・条件を満たす唯一の担当者');
    expect(assigned.text).toContain('/consults/1');
    expect(assigned.text).not.toContain(himawari.email);
    const [ackFile] = t.outboxFiles(himawari.email);
    const ack = await simpleParser(fs.readFileSync(ackFile));
    expect(ack.subject).toBe('受付: [KKD#1] ランサムウェア感染の疑い');
    expect(ack.to && 'text' in ack.to ? ack.to.text : '').toContain(himawari.email);
    expect(ack.inReplyTo).toBe(mail.messageId);
    expect(ack.headers.get('auto-submitted')).toBe('auto-replied');
    expect(ack.text).toContain('KKD#1');
    expect(ack.text).toContain('ひまわり CST-00123 様');

    const reply = await t.api('/api/tickets/1/replies', { method: 'POST', body: JSON.stringify({ body: 'ネットワークから切り離してください。' }) });
    expect(reply.status).toBe(201);
    const answered = await (await t.api('/api/tickets/1')).json();
    expect(answered.status).toBe('waiting_member');
    expect(answered.slaState).toBe('met');
    expect(answered.messages.map((m: { direction: string }) => m.direction)).toEqual(['inbound', 'outbound']);
    expect(answered.messages[1].sentAt).toMatch(/\+09:00$/);
    // Sent by the expert, not yet delivered: the API says so until the outbox sends it.
    expect(answered.messages[1]).toMatchObject({ deliveryStatus: 'queued', deliveredAt: null });

    await t.flushOutbox();
    const delivered = (await (await t.api('/api/tickets/1')).json()).messages[1];
    expect(delivered).toMatchObject({ deliveryStatus: 'sent', deliveredAt: expect.stringMatching(/\+09:00$/) });
    const files = t.outboxFiles(himawari.email);
    expect(files).toHaveLength(2);
    const sent = await simpleParser(fs.readFileSync(files[1]));
    expect(sent.subject).toBe('Re: [KKD#1] ランサムウェア感染の疑い');
    expect(sent.inReplyTo).toBe(mail.messageId);
    expect(sent.references).toContain(mail.messageId);
    expect(sent.messageId).toMatch(/^<kkd\.1\.[0-9a-f-]+@helpdesk\.test>$/);
    expect(sent.text).toContain('ネットワークから切り離してください。');
    expect(sent.headers.get('auto-submitted')).toBeUndefined();

    // The member answers the reply: it joins the same consult, which waits for us again.
    const followUp = buildMail({ from: himawari.email, subject: `Re: ${sent.subject}`, body: '切り離しました。', inReplyTo: sent.messageId, references: [mail.messageId, sent.messageId!] });
    expect((await deliverOverSmtp(t.smtpPort, followUp.raw, { from: himawari.email, to: [INTAKE] })).code).toBe(250);
    const after = await (await t.api('/api/tickets/1')).json();
    expect(after.status).toBe('open');
    expect(after.messages).toHaveLength(3);
    expect((await (await t.api('/api/tickets')).json()).total).toBe(1);
  });

  it('sends a reply to the member address that wrote last, under that mail, with its References', async () => {
    const [soc, yamada] = ['soc@tanpopo.example.jp', 'yamada@tanpopo.example.jp'];
    await t.server.app.get(MemberImportService).importCsv(Buffer.from(`club_id,nickname,email,company,contract_start\nCST-00404,たんぽぽ,${soc};${yamada},たんぽぽ工業株式会社,2026-04-01\n`));
    const opening = buildMail({ from: soc, subject: '複数アドレスからの相談' });
    expect((await deliverOverSmtp(t.smtpPort, opening.raw, { from: soc, to: [INTAKE] })).code).toBe(250);
    const { number } = (await (await t.api(`/api/tickets?q=${encodeURIComponent('複数アドレス')}`)).json()).items[0];
    expect((await t.api(`/api/tickets/${number}/replies`, { method: 'POST', body: JSON.stringify({ body: '一次回答です。' }) })).status).toBe(201);
    await t.flushOutbox();
    const [, first] = await Promise.all(t.outboxFiles(soc).map((f) => simpleParser(fs.readFileSync(f))));

    // A colleague answers from Gmail (its Message-ID has "=" and "+"); the next reply goes to them.
    const gmail = buildMail({
      from: yamada, subject: `Re: ${first.subject}`, messageId: '<CAF=gmail+tanpopo1@mail.gmail.com>',
      inReplyTo: first.messageId, references: [opening.messageId, first.messageId!],
    });
    expect((await deliverOverSmtp(t.smtpPort, gmail.raw, { from: yamada, to: [INTAKE] })).code).toBe(250);
    expect((await t.api(`/api/tickets/${number}/replies`, { method: 'POST', body: JSON.stringify({ body: '二次回答です。' }) })).status).toBe(201);
    await t.flushOutbox();
    expect(t.outboxFiles(yamada)).toHaveLength(1);
    const [second] = await Promise.all(t.outboxFiles(yamada).map((f) => simpleParser(fs.readFileSync(f))));
    expect(second.to && 'text' in second.to ? second.to.text : '').toBe(yamada);
    expect(second.inReplyTo).toBe(gmail.messageId);
    expect(second.references).toEqual([opening.messageId, first.messageId, gmail.messageId]);
    expect(t.outboxFiles(soc)).toHaveLength(2); // the acknowledgement and the first reply only
  });

  it('threads by the [KKD#n] tag, full-width or not, only for the consult\'s own member', async () => {
    const first = buildMail({ from: himawari.email, subject: 'Re: 転送: VPNの脆弱性について' });
    expect((await deliverOverSmtp(t.smtpPort, first.raw, { from: himawari.email, to: [INTAKE] })).code).toBe(250);
    const opened = (await (await t.api('/api/tickets?q=VPN')).json()).items[0];
    expect(opened.subject).toBe('VPNの脆弱性について'); // reply and forward prefixes dropped

    const tagged = buildMail({ from: himawari.email, subject: `Ｒｅ：［ＫＫＤ＃${opened.number}］ VPNの脆弱性について`, body: '追加の情報です。' });
    expect((await deliverOverSmtp(t.smtpPort, tagged.raw, { from: himawari.email, to: [INTAKE] })).code).toBe(250);
    expect((await (await t.api(`/api/tickets/${opened.number}`)).json()).messages).toHaveLength(2);

    // Another member quoting the same tag gets a consult of their own.
    const sakura = MEMBERS[1];
    const foreign = buildMail({ from: sakura.email, subject: `Re: [KKD#${opened.number}] VPNの脆弱性について` });
    expect((await deliverOverSmtp(t.smtpPort, foreign.raw, { from: sakura.email, to: [INTAKE] })).code).toBe(250);
    const list = (await (await t.api('/api/tickets?q=VPN')).json()).items;
    expect(list).toHaveLength(2);
    const own = list.find((i: { number: number }) => i.number !== opened.number);
    expect(own.member.clubId).toBe(sakura.clubId);
    // Its subject carries no foreign number (nor the prefixes around the tag); the message keeps what was sent.
    expect(own.subject).toBe('VPNの脆弱性について');
    const ownDetail = await (await t.api(`/api/tickets/${own.number}`)).json();
    expect(ownDetail.subject).toBe('VPNの脆弱性について');
    expect(ownDetail.messages[0].subject).toBe(`Re: [KKD#${opened.number}] VPNの脆弱性について`);
    expect((await (await t.api(`/api/tickets/${opened.number}`)).json()).messages).toHaveLength(2);

    // A tag of no consult at all, between reply prefixes, opens a consult without it.
    const stray = buildMail({ from: sakura.email, subject: 'Re: [KKD#99999] Re: 返信: 不審なログイン通知' });
    expect((await deliverOverSmtp(t.smtpPort, stray.raw, { from: sakura.email, to: [INTAKE] })).code).toBe(250);
    expect((await (await t.api(`/api/tickets?q=${encodeURIComponent('不審なログイン通知')}`)).json()).items.map((i: { subject: string }) => i.subject)).toEqual(['不審なログイン通知']);
  });

  it('refuses other recipients with 550 and oversize mail with 552', async () => {
    const mail = buildMail({ from: himawari.email });
    const wrong = await deliverOverSmtp(t.smtpPort, mail.raw, { from: himawari.email, to: ['someone-else@helpdesk.test'] });
    expect(wrong.code).toBe(550);
  });

  it('keeps mail from unknown and suspended senders without opening a consult', async () => {
    const before = (await (await t.api('/api/tickets')).json()).total;
    const unknown = buildMail({ from: 'stranger@unknown.example.com', subject: '営業のご案内' });
    expect((await deliverOverSmtp(t.smtpPort, unknown.raw, { from: 'stranger@unknown.example.com', to: [INTAKE] })).code).toBe(250);
    const suspended = buildMail({ from: MEMBERS[2].email, subject: '中断中の会員から' });
    expect((await deliverOverSmtp(t.smtpPort, suspended.raw, { from: MEMBERS[2].email, to: [INTAKE] })).code).toBe(250);
    expect((await (await t.api('/api/tickets')).json()).total).toBe(before);
    const held = await t.server.app.get(HeldMailRepository).list(1, 10);
    expect(held[0].map((h) => [h.fromAddress, h.reason])).toEqual(expect.arrayContaining([
      ['stranger@unknown.example.com', 'unknown_sender'], [MEMBERS[2].email, 'contract_suspended'],
    ]));
  });

  it('keeps mail from a member whose contract has not started, and tells the sender when it starts', async () => {
    const address = 'soc@mada.example.jp';
    await t.server.app.get(MemberImportService).importCsv(Buffer.from(`club_id,nickname,email,company,contract_start\nCST-00403,まだ,${address},未開始商事株式会社,2099-01-15\n`));
    const before = (await (await t.api('/api/tickets')).json()).total;
    const mail = buildMail({ from: address, subject: '契約開始前の相談' });
    expect((await deliverOverSmtp(t.smtpPort, mail.raw, { from: address, to: [INTAKE] })).code).toBe(250);
    expect((await (await t.api('/api/tickets')).json()).total).toBe(before);
    const [held] = await t.server.app.get(HeldMailRepository).list(1, 50);
    expect(held.find((h) => h.subject === '契約開始前の相談')).toMatchObject({ fromAddress: address, reason: 'contract_not_started', status: 'held' });
    await t.flushOutbox();
    const notices = await Promise.all(t.outboxFiles(address).map((f) => simpleParser(fs.readFileSync(f))));
    expect(notices.map((m) => m.subject)).toEqual(['【駆け込み寺】ご契約の期間がまだ始まっていないため、ご相談を受け付けできませんでした']);
    expect(notices[0].text).toContain('ご契約の開始日は 2099-01-15 です。');
  });

  it('adds nothing when the same Message-ID arrives twice', async () => {
    const mail = buildMail({ from: MEMBERS[1].email, subject: '重複テスト' });
    for (let i = 0; i < 2; i++) expect((await deliverOverSmtp(t.smtpPort, mail.raw, { from: MEMBERS[1].email, to: [INTAKE] })).code).toBe(250);
    const list = await (await t.api('/api/tickets?q=重複テスト')).json();
    expect(list.total).toBe(1);
    const detail = await (await t.api(`/api/tickets/${list.items[0].number}`)).json();
    expect(detail.messages).toHaveLength(1);

    // Another member's mail with the same Message-ID is not a duplicate: it opens its own consult.
    // Its retry (the first one stored is the other member's) adds nothing either.
    const reused = buildMail({ from: himawari.email, subject: '重複テスト 別会員', messageId: mail.messageId });
    for (let i = 0; i < 2; i++) expect((await deliverOverSmtp(t.smtpPort, reused.raw, { from: himawari.email, to: [INTAKE] })).code).toBe(250);
    const other = await (await t.api('/api/tickets?q=別会員')).json();
    expect(other.items).toEqual([expect.objectContaining({ member: expect.objectContaining({ clubId: himawari.clubId }) })]);
  });

  it('keeps a member\'s other mail that reuses an earlier Message-ID; only a retry of the same content adds nothing', async () => {
    const sakura = MEMBERS[1];
    const first = buildMail({ from: sakura.email, subject: '不審なPowerShellの実行', body: '夜間に不審なPowerShellが実行されていました。' });
    expect((await deliverOverSmtp(t.smtpPort, first.raw, { from: sakura.email, to: [INTAKE] })).code).toBe(250);
    // A retry passes through another relay: a Received header more, the same mail.
    const relayed = `Received: from relay2.example.jp by mx.helpdesk.test; ${new Date().toUTCString()}\r\n${first.raw}`;
    expect((await deliverOverSmtp(t.smtpPort, relayed, { from: sakura.email, to: [INTAKE] })).code).toBe(250);

    // The member's broken mailer gives the next, different mail the same Message-ID: a consult of its own.
    const reused = buildMail({ from: sakura.email, subject: 'USBメモリの紛失', body: '別件です。USBメモリを紛失しました。', messageId: first.messageId });
    for (let i = 0; i < 2; i++) expect((await deliverOverSmtp(t.smtpPort, reused.raw, { from: sakura.email, to: [INTAKE] })).code).toBe(250);

    const powershell = (await (await t.api(`/api/tickets?q=${encodeURIComponent('PowerShell')}`)).json()).items;
    expect(powershell).toHaveLength(1);
    expect((await (await t.api(`/api/tickets/${powershell[0].number}`)).json()).messages).toHaveLength(1);
    const usb = (await (await t.api(`/api/tickets?q=${encodeURIComponent('USBメモリ')}`)).json()).items;
    expect(usb).toEqual([expect.objectContaining({ subject: 'USBメモリの紛失', member: expect.objectContaining({ clubId: sakura.clubId }) })]);
    const detail = await (await t.api(`/api/tickets/${usb[0].number}`)).json();
    expect(detail.messages.map((m: { text: string }) => m.text.trim())).toEqual(['別件です。USBメモリを紛失しました。']);

    // Each mail was acknowledged once.
    await t.flushOutbox();
    const acks = (await Promise.all(t.outboxFiles(sakura.email).map((f) => simpleParser(fs.readFileSync(f)))))
      .filter((m) => m.subject?.startsWith('受付: ') && m.inReplyTo === first.messageId).map((m) => m.subject);
    expect(acks.sort()).toEqual([`受付: [KKD#${powershell[0].number}] 不審なPowerShellの実行`, `受付: [KKD#${usb[0].number}] USBメモリの紛失`].sort());
  });

  it('stores attachments and lists them on the consult', async () => {
    const content = Buffer.alloc(100 * 1024, 7);
    const mail = buildMail({ from: MEMBERS[1].email, subject: 'ログを添付します', attachment: { filename: '通信ログ.csv', content, contentType: 'text/csv' } });
    expect((await deliverOverSmtp(t.smtpPort, mail.raw, { from: MEMBERS[1].email, to: [INTAKE] })).code).toBe(250);
    const list = await (await t.api('/api/tickets?q=ログを添付')).json();
    const detail = await (await t.api(`/api/tickets/${list.items[0].number}`)).json();
    expect(detail.attachments).toEqual([expect.objectContaining({ filename: '通信ログ.csv', size: 100 * 1024, encrypted: false })]);
  });
});

describe('intake limits', () => {
  let t: TestServer;
  beforeAll(async () => { t = await startTestServer({ MAX_MESSAGE_BYTES: '20000' }); });
  afterAll(async () => { await t.close(); });

  it('answers 552 for a message over MAX_MESSAGE_BYTES and stores nothing', async () => {
    const big = buildMail({ from: himawari.email, attachment: { filename: 'big.bin', content: Buffer.alloc(30_000, 1) } });
    const result = await deliverOverSmtp(t.smtpPort, big.raw, { from: himawari.email, to: [INTAKE] });
    expect(result.code).toBe(552);
    expect((await (await t.api('/api/tickets')).json()).total).toBe(0);
  });
});
