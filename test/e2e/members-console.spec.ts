import { AuditService } from '@kkd/audit';
import { IntakeService } from '@kkd/inbox';
import { MemberImportService, MemberRepository } from '@kkd/membership';
import { buildMail } from '@kkd/testing';
import { ConsoleClient, MANAGER, MEMBERS, startTestServer, TestServer } from './support/test-server';

const ADMIN = { email: 'admin@helpdesk.test', password: 'admin-password-123' };
/** A Japan calendar date `days` from today. */
const japanDay = (days = 0) => new Date(Date.now() + 9 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);

describe('the members console: managers read, admins edit members and contracts', () => {
  let t: TestServer;
  let admin: ConsoleClient;
  let manager: ConsoleClient;
  let himawari: number;
  let sakura: number;

  beforeAll(async () => {
    t = await startTestServer();
    const members = t.server.app.get(MemberRepository);
    himawari = (await members.findByAddress(MEMBERS[0].email))!.id;
    sakura = (await members.findByAddress(MEMBERS[1].email))!.id;
    admin = new ConsoleClient(t.baseUrl);
    await admin.login(ADMIN.email, ADMIN.password);
    manager = new ConsoleClient(t.baseUrl);
    await manager.login(MANAGER.email, MANAGER.password);
  });
  afterAll(async () => { await t.close(); });

  const csrf = async (client: ConsoleClient, path: string) => ConsoleClient.csrfOf((await client.get(path)).html);
  /** The changes recorded for a member, oldest first (views and the import left out). */
  const auditActions = async (clubId: string) => (await t.server.app.get(AuditService).list({ target: clubId, page: 1, pageSize: 100 }))
    .items.map((e) => e.action).filter((a) => a !== 'member.identity_viewed' && a !== 'member.created').reverse();
  const form = (overrides: Record<string, string> = {}) => ({
    nickname: 'ひまわり', company: 'ひまわり精機株式会社', department: '情報システム部', contact_name: '佐藤 一郎', phone: '03-1234-5678',
    postal_code: '100-0001', address: '東京都千代田区千代田1-1', emails: 'soc@himawari.example.jp\nsoc2@himawari.example.jp',
    contract_start: '2026-04-01', contract_end: '', ...overrides,
  });

  it('lists members by club ID and nickname with their state, filtered by state', async () => {
    const all = await manager.get('/members');
    expect(all.status).toBe(200);
    for (const m of MEMBERS) expect(all.html).toContain(m.clubId);
    const suspended = await manager.get('/members?status=suspended');
    expect(suspended.html).toContain('CST-00789');
    expect(suspended.html).not.toContain('CST-00123');
    expect((await manager.get('/members?q=さくら')).html).toContain('CST-00456');
  });

  it('keeps the input and names each problem in Japanese when an edit is refused', async () => {
    const token = await csrf(admin, `/members/${himawari}/edit`);
    const refused = await admin.post(`/members/${himawari}`, { _csrf: token, ...form({ company: '', phone: 'abc', emails: 'not-an-address', contract_end: '2026-02-30' }) });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('会社名を入力してください。');
    expect(refused.html).toContain('電話番号は数字とハイフンで入力してください。');
    expect(refused.html).toContain('メールアドレスの形式が正しくありません。');
    expect(refused.html).toContain('value="佐藤 一郎"');
    expect(refused.html).toContain('not-an-address');

    const taken = await admin.post(`/members/${himawari}`, { _csrf: token, ...form({ emails: MEMBERS[1].email }) });
    expect(taken.status).toBe(400);
    expect(taken.html).toContain('別の会員（CST-00456）が使っています');

    const badDate = await admin.post(`/members/${himawari}`, { _csrf: token, ...form({ contract_end: '2027-02-30' }) });
    expect(badDate.status).toBe(400);
    expect(badDate.html).toContain('契約終了日は存在する日付を入力してください。');
  });

  it('saves art. 12 changes, then the member page shows them and the audit log names the fields', async () => {
    const token = await csrf(admin, `/members/${himawari}/edit`);
    expect((await admin.post(`/members/${himawari}`, form())).status).toBe(403); // no CSRF token
    const saved = await admin.post(`/members/${himawari}`, { _csrf: token, ...form() });
    expect(saved).toEqual(expect.objectContaining({ status: 303, location: `/members/${himawari}?done=saved` }));
    const page = await admin.get(saved.location!);
    expect(page.html).toContain('会員情報を保存しました。');
    expect(page.html).toContain('情報システム部');
    expect(page.html).toContain('soc2@himawari.example.jp');
    expect(page.html).toContain('2026-04-01 〜 2027-03-31');
    expect(await auditActions('CST-00123')).toEqual(['member.updated']);
    const audit = await manager.get('/audit?target=CST-00123&action=member.updated');
    expect(audit.html).toContain('会員情報の変更');
    expect(audit.html).toContain('department');
    expect(audit.html).not.toContain('佐藤 一郎'); // field names, not values
  });

  it('suspends and resumes with a reason, kept as history; a missing reason is refused with the input kept', async () => {
    const token = await csrf(admin, `/members/${sakura}`);
    const missing = await admin.post(`/members/${sakura}/suspend`, { _csrf: token, reason: '  ' });
    expect(missing.status).toBe(400);
    expect(missing.html).toContain('理由を入力してください。');
    const done = await admin.post(`/members/${sakura}/suspend`, { _csrf: token, reason: '会費未納（第23条）' });
    expect(done).toEqual(expect.objectContaining({ status: 303, location: `/members/${sakura}?done=suspended` }));
    const suspended = await admin.get(done.location!);
    expect(suspended.html).toContain('契約を中断しました。');
    expect(suspended.html).toContain('有効 → 中断');
    expect(suspended.html).toContain('会費未納（第23条）');
    const again = await admin.post(`/members/${sakura}/suspend`, { _csrf: token, reason: '二度目' });
    expect(again.status).toBe(400);
    expect(again.html).toContain('有効な契約だけを中断できます。');
    expect((await admin.post(`/members/${sakura}/resume`, { _csrf: token, reason: '入金確認' })).status).toBe(303);
    expect((await admin.get(`/members/${sakura}`)).html).toContain('中断 → 有効');
    expect(await auditActions('CST-00456')).toEqual(['contract.suspended', 'contract.resumed']);
  });

  it("takes a member's notice of cancellation, moving an early requested date to 30 days after the notice", async () => {
    const token = await csrf(admin, `/members/${sakura}`);
    const future = await admin.post(`/members/${sakura}/cancel-notice`, { _csrf: token, notice_on: japanDay(3), requested_on: '', reason: '撤退' });
    expect(future.status).toBe(400);
    expect(future.html).toContain('申出日に未来の日付は指定できません。');
    expect(future.html).toContain('value="撤退"');
    const noticed = await admin.post(`/members/${sakura}/cancel-notice`, { _csrf: token, notice_on: japanDay(), requested_on: japanDay(1), reason: '撤退' });
    expect(noticed.location).toBe(`/members/${sakura}?done=moved`);
    const page = await admin.get(noticed.location!);
    expect(page.html).toContain(`解約予定</dt><dd>${japanDay(30)}`);
    expect(page.html).toContain('規約第14条');
    expect((await t.server.app.get(MemberRepository).findById(sakura))!.status).toBe('active');
  });

  it('cancels at once (art. 15); the member is cancelled and no further contract action is offered', async () => {
    const token = await csrf(admin, `/members/${himawari}`);
    expect((await admin.post(`/members/${himawari}/cancel`, { _csrf: token, reason: '規約違反' })).status).toBe(303);
    const page = await admin.get(`/members/${himawari}`);
    expect(page.html).toContain('member-status-cancelled');
    expect(page.html).not.toContain(`/members/${himawari}/suspend`);
    expect(page.html).not.toContain(`/members/${himawari}/cancel"`);
    expect((await t.server.app.get(MemberRepository).findById(himawari))!.status).toBe('cancelled');
    const audit = await manager.get('/audit?action=contract.cancelled');
    expect(audit.html).toContain('CST-00123');
    expect(audit.html).toContain(ADMIN.email);
  });

  it('pages and filters the audit log, refusing a malformed date with a message', async () => {
    const bad = await manager.get('/audit?from=2026-13-01');
    expect(bad.status).toBe(200);
    expect(bad.html).toContain('開始日を YYYY-MM-DD で入力してください。');
    const byActor = await manager.get(`/audit?actor=${encodeURIComponent(ADMIN.email)}&from=${japanDay()}&to=${japanDay()}`);
    expect(byActor.html).toContain('契約の中断');
    expect(byActor.html).not.toContain(`<td>${MANAGER.email}</td>`);
  });

  it('shows an active member whose term has not begun, or is over, in the state intake holds their mail for', async () => {
    const notYet = { clubId: 'CST-00901', nickname: 'わかば', email: 'soc@wakaba.example.jp', start: japanDay(10), end: japanDay(375) };
    const over = { clubId: 'CST-00902', nickname: 'かえで', email: 'soc@kaede.example.jp', start: japanDay(-400), end: japanDay(-2) };
    await t.server.app.get(MemberImportService).importCsv(Buffer.from([
      'club_id,nickname,email,company,contract_start,contract_end,status',
      ...[notYet, over].map((m) => `${m.clubId},${m.nickname},${m.email},${m.nickname}株式会社,${m.start},${m.end},active`),
    ].join('\n') + '\n'));
    const rowOf = (html: string, clubId: string) => html.split('<tr>').find((r) => r.includes(`>${clubId}</a>`)) ?? '';
    const list = (await manager.get('/members?q=CST-009')).html;
    expect(rowOf(list, notYet.clubId)).toContain(`契約開始前（${notYet.start} 開始）`);
    expect(rowOf(list, over.clubId)).toContain('期間満了');
    for (const m of [notYet, over]) expect(rowOf(list, m.clubId)).not.toContain('有効');
    const members = t.server.app.get(MemberRepository);
    const notYetPage = (await manager.get(`/members/${(await members.findByAddress(notYet.email))!.id}`)).html;
    expect(notYetPage).toContain(`member-status-not_started">契約開始前（${notYet.start} 開始）`);
    const overId = (await members.findByAddress(over.email))!.id;
    expect((await manager.get(`/members/${overId}`)).html).toContain('member-status-expired">期間満了');

    // Intake holds their mail for the same reasons (and records the expiry): the page reads the same after it.
    const send = (from: string) => t.server.app.get(IntakeService).accept(Buffer.from(buildMail({ from, subject: '不審なメール' }).raw), from);
    expect(await send(notYet.email)).toEqual({ kind: 'held', reason: 'contract_not_started' });
    expect(await send(over.email)).toEqual({ kind: 'held', reason: 'contract_expired' });
    expect((await members.findById(overId))!.status).toBe('expired');
    expect((await manager.get(`/members/${overId}`)).html).toContain('member-status-expired">期間満了');
  });
});
