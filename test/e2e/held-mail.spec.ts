import fs from 'fs';
import { simpleParser } from 'mailparser';
import { formatJst } from '@kkd/core';
import { HeldMailRepository, IntakeService } from '@kkd/inbox';
import { MemberImportService, MemberRepository } from '@kkd/membership';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { ConsoleClient, EXPERT, MANAGER, MEMBERS, startTestServer, TestServer } from './support/test-server';

const stranger = 'newcomer@himawari-group.example.jp';

describe('held mail: notices to the sender, attach to a member, discard', () => {
  let t: TestServer;
  let manager: ConsoleClient;
  beforeAll(async () => {
    t = await startTestServer();
    manager = new ConsoleClient(t.baseUrl);
    await manager.login(MANAGER.email, MANAGER.password);
  });
  afterAll(async () => { await t.close(); });

  const accept = (from: string, subject: string, at = new Date()) =>
    t.server.app.get(IntakeService).accept(Buffer.from(buildMail({ from, subject }).raw), from, at);
  const sentMails = async () => {
    await t.flushOutbox();
    return Promise.all(t.outboxFiles().map(async (f) => simpleParser(fs.readFileSync(f))));
  };
  const to = (m: Awaited<ReturnType<typeof simpleParser>>) => (m.to && 'text' in m.to ? m.to.text : '');
  /** The id of the held mail whose row shows this subject. */
  const heldIdOf = (html: string, subject: string) => /action="\/held\/(\d+)\/attach"/.exec(html.split('<tr>').find((row) => row.includes(subject)) ?? '')?.[1];

  it('tells an unknown sender once a day, and a member with an inactive contract which state it is in', async () => {
    await accept(stranger, '新しい担当者からの相談', new Date('2026-11-20T10:00:00+09:00'));
    await accept(stranger, '二通目の相談');
    await accept(MEMBERS[2].email, '中断中の会員からの相談'); // MEMBERS[2] is suspended
    await accept(MEMBERS[2].email, '中断中の会員からの二通目');
    const mails = await sentMails();
    expect(mails.filter((m) => to(m).includes(stranger)).map((m) => m.subject)).toEqual(['【駆け込み寺】ご相談を受け付けできませんでした']);
    const contract = mails.filter((m) => to(m).includes(MEMBERS[2].email));
    expect(contract.map((m) => m.subject)).toEqual(['【駆け込み寺】ご契約が中断されているため、ご相談を受け付けできませんでした']);
    expect(contract[0].headers.get('auto-submitted')).toBe('auto-replied');
    expect((await (await t.api('/api/tickets')).json()).total).toBe(0);
  });

  it('holds mail from a member whose term is over before the daily sweep has expired it, and records the expiry', async () => {
    // Stored as active (no status column), the term ended 2025-03-31: not renewed automatically.
    const address = 'ended@owari.example.jp';
    await t.server.app.get(MemberImportService).importCsv(Buffer.from(`club_id,nickname,email,company,contract_start\nCST-09001,おわり,${address},終了商事株式会社,2024-04-01\n`));
    expect(await accept(address, '期間満了後の相談')).toEqual({ kind: 'held', reason: 'contract_expired' });
    expect((await t.server.app.get(MemberRepository).findByAddress(address))?.status).toBe('expired');
    const notice = (await sentMails()).filter((m) => to(m).includes(address));
    expect(notice.map((m) => m.subject)).toEqual(['【駆け込み寺】ご契約の期間が満了しているため、ご相談を受け付けできませんでした']);
    expect(notice[0].text).toContain('ご契約の期間が満了しているため、次のメールをご相談として受け付けることができませんでした。');
    expect(notice[0].text).not.toMatch(/契約.*契約期間/);
    expect((await (await t.api('/api/tickets')).json()).items.map((i: { subject: string }) => i.subject)).not.toContain('期間満了後の相談');
  });

  it('answers the held mail it is about over SMTP: In-Reply-To, its subject and its time (JST); later ones within the window get none', async () => {
    const address = 'soc@kigengire.example.jp';
    await t.server.app.get(MemberImportService).importCsv(Buffer.from(`club_id,nickname,email,company,contract_start\nCST-09002,きげん,${address},期限切商事株式会社,2024-04-01\n`));
    const stray = 'someone@mishiyou.example.jp';
    const mails = [
      buildMail({ from: address, subject: 'サーバ侵害の疑い' }), buildMail({ from: address, subject: '続報：ログを確認しました' }),
      buildMail({ from: stray, subject: '情報漏えいのご相談' }), buildMail({ from: stray, subject: '情報漏えいの続報' }),
    ];
    for (const m of mails) {
      const from = /^From: (.*)$/m.exec(m.raw)![1];
      expect((await deliverOverSmtp(t.smtpPort, m.raw, { from, to: ['kakekomi@helpdesk.test'] })).code).toBe(250);
    }
    const [held] = await t.server.app.get(HeldMailRepository).list(1, 100);
    const sent = await sentMails();
    for (const [sender, first, reason] of [[address, mails[0], 'ご契約の期間が満了しているため'], [stray, mails[2], '登録されたメールアドレスから送られたものではないため']] as const) {
      const notices = sent.filter((m) => to(m).includes(sender));
      expect(notices).toHaveLength(1);
      const [notice] = notices;
      expect(notice.inReplyTo).toBe(first.messageId);
      expect(notice.references).toBe(first.messageId);
      const firstHeld = held.find((h) => h.messageIdHeader === first.messageId)!;
      expect(notice.text).toContain(reason);
      expect(notice.text).toContain(`件名: ${firstHeld.subject}`);
      expect(notice.text).toContain(`受信日時: ${formatJst(firstHeld.receivedAt)}`);
      expect(notice.text).toContain('あらためてのご案内はお送りしません');
    }
  });

  it('attaches a held mail to a member: a consult as if received at its original time', async () => {
    let page = await manager.get('/held');
    const heldId = heldIdOf(page.html, '新しい担当者からの相談');
    expect(heldId).toBeDefined();
    const bad = await manager.post(`/held/${heldId}/attach`, { _csrf: ConsoleClient.csrfOf(page.html), clubId: 'CST-99999' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('会員 CST-99999 が見つかりません。');
    expect(bad.html).toContain('value="CST-99999"');

    page = await manager.get('/held');
    const attached = await manager.post(`/held/${heldId}/attach`, { _csrf: ConsoleClient.csrfOf(page.html), clubId: MEMBERS[1].clubId });
    expect(attached.status).toBe(303);
    const number = Number(/\/consults\/(\d+)/.exec(attached.location ?? '')?.[1]);
    const detail = await (await t.api(`/api/tickets/${number}`)).json();
    expect(detail).toMatchObject({ subject: '新しい担当者からの相談', receivedAt: '2026-11-20T10:00:00+09:00', dueAt: '2026-11-26T17:00:00+09:00' });
    expect(detail.member.clubId).toBe(MEMBERS[1].clubId);
    expect((await sentMails()).some((m) => m.subject === `受付: [KKD#${number}] 新しい担当者からの相談` && to(m).includes(stranger))).toBe(true);

    page = await manager.get('/held');
    expect(page.html).not.toContain('新しい担当者からの相談');
    const again = await manager.post(`/held/${heldId}/attach`, { _csrf: ConsoleClient.csrfOf(page.html), clubId: MEMBERS[1].clubId });
    expect(again.status).toBe(400);
    expect(again.html).toContain('このメールはすでに処理されています。');
  });

  it('discards a held mail but keeps it, and serves its raw source only as a download to managers', async () => {
    let page = await manager.get('/held');
    const heldId = /action="\/held\/(\d+)\/discard"/.exec(page.html)?.[1];
    const raw = await fetch(`${t.baseUrl}/held/${heldId}/raw`, { headers: { cookie: manager.cookieHeader() } });
    expect(raw.headers.get('content-disposition')).toBe(`attachment; filename="held-${heldId}.eml"`);
    expect(await raw.text()).toContain('Subject:');
    const expert = new ConsoleClient(t.baseUrl);
    await expert.login(EXPERT.email, EXPERT.password);
    expect((await expert.get(`/held/${heldId}/raw`)).status).toBe(403);

    const count = (html: string) => Number(/保留メール（.+?） <span class="count">(\d+)件/.exec(html)?.[1]);
    const before = count(page.html);
    const confirm = await manager.get(`/held/${heldId}/discard`);
    expect(confirm.status).toBe(200);
    expect((await manager.post(`/held/${heldId}/discard`, { _csrf: ConsoleClient.csrfOf(confirm.html), confirm: 'yes' })).status).toBe(303);
    page = await manager.get('/held');
    expect(count(page.html)).toBe(before - 1);
    expect((await fetch(`${t.baseUrl}/held/${heldId}/raw`, { headers: { cookie: manager.cookieHeader() } })).status).toBe(200); // kept

    // Held mail shows who wrote: each look at the list and each raw download is in the audit log.
    const audit = await manager.get(`/audit?action=${encodeURIComponent('held_mail.raw_viewed')}`);
    expect(audit.status).toBe(200);
    expect(audit.html.match(/保留メールの原文の閲覧/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    const listed = await manager.get(`/audit?action=${encodeURIComponent('held_mail.list_viewed')}`);
    expect(listed.html).toContain(MANAGER.email);
  });
  it('discards only after a confirmation page, keeps the optional reason, and shows who did it under 破棄済み', async () => {
    await accept('sales@eigyou.example.jp', '営業のご案内（破棄予定）');
    let page = await manager.get('/held');
    const heldId = heldIdOf(page.html, '営業のご案内（破棄予定）');
    // The list's button only opens the confirmation; an old one-click form gets the same page.
    expect(page.html).toContain(`<form method="get" action="/held/${heldId}/discard"`);
    const oneClick = await manager.post(`/held/${heldId}/discard`, { _csrf: ConsoleClient.csrfOf(page.html) });
    expect(oneClick.status).toBe(200);
    expect(oneClick.html).toContain('次のメールを破棄します。');
    expect(oneClick.html).toContain('sales@eigyou.example.jp');
    expect((await manager.get('/held')).html).toContain('営業のご案内（破棄予定）');

    const tooLong = await manager.post(`/held/${heldId}/discard`, { _csrf: ConsoleClient.csrfOf(oneClick.html), confirm: 'yes', reason: 'あ'.repeat(501) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.html).toContain('破棄の理由は500文字以内で入力してください。');
    const done = await manager.post(`/held/${heldId}/discard`, { _csrf: ConsoleClient.csrfOf(tooLong.html), confirm: 'yes', reason: '営業メールのため' });
    expect(done.status).toBe(303);
    page = await manager.get(done.location!);
    expect(page.html).toContain('保留メールを破棄しました');
    expect(page.html).not.toContain('営業のご案内（破棄予定）');
    // Handled mail has nothing to confirm any more.
    expect((await manager.get(`/held/${heldId}/discard`)).location).toBe('/held?status=discarded');

    const discarded = await manager.get('/held?status=discarded');
    const row = discarded.html.split('<tr>').find((r) => r.includes('営業のご案内（破棄予定）'));
    expect(row).toContain('理由: 営業メールのため');
    expect(row).toContain(MANAGER.name);
    expect(discarded.html).toContain('<option value="discarded" selected>破棄済み</option>');

    const audit = await manager.get(`/audit?action=${encodeURIComponent('held_mail.discarded')}`);
    expect(audit.html).toContain('<option value="held_mail.discarded" selected>保留メールの破棄</option>');
    const line = audit.html.split('<tr>').find((r) => r.includes('sales@eigyou.example.jp'));
    expect(line).toContain(MANAGER.email);
    expect(line).toContain('reason: 営業メールのため');
  });

  it('attaches a club ID typed full-width, lists the mail under 取り込み済み with a link to its consult, and audits it', async () => {
    await accept(stranger, '全角で紐付ける相談');
    const page = await manager.get('/held');
    const heldId = heldIdOf(page.html, '全角で紐付ける相談');
    const attached = await manager.post(`/held/${heldId}/attach`, { _csrf: ConsoleClient.csrfOf(page.html), clubId: 'ｃｓｔ－００４５６' });
    expect(attached.status).toBe(303);
    const number = Number(/\/consults\/(\d+)/.exec(attached.location ?? '')?.[1]);
    expect((await (await t.api(`/api/tickets/${number}`)).json()).member.clubId).toBe(MEMBERS[1].clubId);

    const done = await manager.get('/held?status=attached');
    const row = done.html.split('<tr>').find((r) => r.includes('全角で紐付ける相談'));
    expect(row).toContain(`<a href="/consults/${number}">相談 #${number}</a>`);
    expect(row).toContain(MANAGER.name);

    const audit = await manager.get(`/audit?action=${encodeURIComponent('held_mail.attached')}&target=${MEMBERS[1].clubId}`);
    expect(audit.html).toContain('保留メールの会員への紐付け');
    expect(audit.html).toContain(`consultNumber: ${number}`);
  });

  it('holds mail sent before the contract starts by the Japan date of receipt, and attaches it to the member later', async () => {
    const address = 'soc@kaishimae.example.jp';
    await t.server.app.get(MemberImportService).importCsv(Buffer.from(`club_id,nickname,email,company,contract_start\nCST-00403,かいし,${address},開始前商事株式会社,2027-01-15\n`));
    // 23:59 on 14 January in Japan: the day before the start.
    expect(await accept(address, '開始前日の相談', new Date('2027-01-14T23:59:00+09:00'))).toEqual({ kind: 'held', reason: 'contract_not_started' });
    const notice = (await sentMails()).filter((m) => to(m).includes(address));
    expect(notice.map((m) => m.subject)).toEqual(['【駆け込み寺】ご契約の期間がまだ始まっていないため、ご相談を受け付けできませんでした']);
    expect(notice[0].text).toContain('ご契約の開始日は 2027-01-15 です。');
    // 00:30 on the start day in Japan (still 14 January in UTC): a consult.
    expect(await accept(address, '開始日の相談', new Date('2027-01-15T00:30:00+09:00'))).toMatchObject({ kind: 'consult_opened' });

    let page = await manager.get('/held');
    expect(page.html.split('<tr>').find((row) => row.includes('開始前日の相談'))).toContain('契約開始前');
    const heldId = heldIdOf(page.html, '開始前日の相談');
    const attached = await manager.post(`/held/${heldId}/attach`, { _csrf: ConsoleClient.csrfOf(page.html), clubId: 'CST-00403' });
    expect(attached.status).toBe(303);
    const number = Number(/\/consults\/(\d+)/.exec(attached.location ?? '')?.[1]);
    const detail = await (await t.api(`/api/tickets/${number}`)).json();
    expect(detail).toMatchObject({ subject: '開始前日の相談', receivedAt: '2027-01-14T23:59:00+09:00' });
    expect(detail.member.clubId).toBe('CST-00403');
    page = await manager.get('/held');
    expect(page.html).not.toContain('開始前日の相談');
  });
});
