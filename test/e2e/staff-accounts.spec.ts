import { generateSync } from 'otplib';
import { StaffService } from '@kkd/staff';
import { ConsoleClient, EXPERT, MANAGER, startTestServer, TestServer } from './support/test-server';

const ADMIN = { email: 'admin@helpdesk.test', password: 'admin-password-123' };
const now = () => Math.floor(Date.now() / 1000);
const csrf = (html: string) => ConsoleClient.csrfOf(html);
/** The accounts table's row for an email address. */
const rowOf = (html: string, email: string) => html.split('<tr').slice(1).find((row) => row.includes(email)) ?? '';
const decode = (s: string) => s.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

/** Enrols a signed-in client whose role must have a second factor; returns its secret. */
async function enrol(client: ConsoleClient): Promise<string> {
  const page = await client.get('/account/totp');
  const secret = /<code class="totp-secret">([A-Z2-7]+)<\/code>/.exec(page.html)![1];
  const done = await client.post('/account/totp', { _csrf: csrf(page.html), code: generateSync({ secret, epoch: now() }) });
  expect(done.status).toBe(200);
  return secret;
}

/**
 * Staff accounts in the console, for admins: every account with its role, state, second factor and
 * last sign-in; creation with a one-time password; role change, disabling (sessions end) and a
 * second factor reset, each with a reason in the audit log; no lockout of the acting admin.
 */
describe('the staff accounts console', () => {
  let t: TestServer;
  let admin: ConsoleClient;
  let adminId: number;
  let expertId: number;
  let managerId: number;

  beforeAll(async () => {
    t = await startTestServer({ TOTP_REQUIRED_ROLES: 'manager,admin' });
    const staff = t.server.app.get(StaffService);
    adminId = (await staff.findByEmail(ADMIN.email))!.id;
    expertId = (await staff.findByEmail(EXPERT.email))!.id;
    managerId = (await staff.findByEmail(MANAGER.email))!.id;
    admin = new ConsoleClient(t.baseUrl);
    await admin.login(ADMIN.email, ADMIN.password);
    await enrol(admin);
  });
  afterAll(async () => { await t.close(); });

  it('is for admins only, linked from their navigation', async () => {
    expect((await admin.get('/consults')).html).toContain('<a href="/staff">スタッフアカウント</a>');
    const manager = new ConsoleClient(t.baseUrl);
    await manager.login(MANAGER.email, MANAGER.password);
    await enrol(manager);
    expect((await manager.get('/consults')).html).not.toContain('href="/staff"');
    expect((await manager.get('/staff')).status).toBe(403);
    expect((await manager.get(`/staff/${expertId}`)).status).toBe(403);
    const expert = new ConsoleClient(t.baseUrl);
    await expert.login(EXPERT.email, EXPERT.password);
    expect((await expert.get('/staff')).status).toBe(403);
  });

  it('lists every account, admins and managers too, with role, state, second factor and last sign-in in JST', async () => {
    const page = await admin.get('/staff');
    expect(page.status).toBe(200);
    const adminRow = rowOf(page.html, ADMIN.email);
    expect(adminRow).toContain('管理者');
    expect(adminRow).toContain('（自分）');
    expect(adminRow).toContain('設定済み');
    expect(adminRow).toMatch(/\d{4}\/\d{2}\/\d{2}\([日月火水木金土]\) \d{2}:\d{2}/);
    expect(rowOf(page.html, MANAGER.email)).toContain('マネージャー');
    const expertRow = rowOf(page.html, EXPERT.email);
    expect(expertRow).toContain('専門家');
    expect(expertRow).toContain('有効');
    expect(expertRow).toContain('未設定');
    expect(expertRow).not.toContain('必須');
  });

  it('creates an account and shows its one-time password once; the person signs in with it', async () => {
    const page = await admin.get('/staff');
    const invalid = await admin.post('/staff', { _csrf: csrf(page.html), email: 'not-an-address', name: '', role: 'boss' });
    expect(invalid.status).toBe(400);
    expect(invalid.html).toContain('メールアドレスの形式が正しくありません。');
    expect(invalid.html).toContain('氏名を入力してください。');
    expect(invalid.html).toContain('役割を選んでください。');
    expect(invalid.html).toContain('value="not-an-address"');

    const res = await fetch(`${t.baseUrl}/staff`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie: admin.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf(page.html), email: 'Suzuki@Helpdesk.test', name: '鈴木 一郎', role: 'manager' }).toString(),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const html = await res.text();
    const password = decode(/<code class="one-time-password">([^<]+)<\/code>/.exec(html)![1]);
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(html).toContain('suzuki@helpdesk.test');

    const newcomer = new ConsoleClient(t.baseUrl);
    expect((await newcomer.login('suzuki@helpdesk.test', password)).status).toBe(303);
    // The one-time password is replaced first; then, for a manager, the second factor is enrolled.
    expect((await newcomer.get('/consults')).location).toBe('/account/password');
    const change = await newcomer.get('/account/password');
    const own = 'Hoshi-Nami-Take-4182';
    expect((await newcomer.post('/account/password', { _csrf: csrf(change.html), currentPassword: password, newPassword: own, confirmPassword: own })).status).toBe(303);
    expect((await newcomer.get('/consults')).location).toBe('/account/totp');
    // Not shown again.
    const id = (await t.server.app.get(StaffService).findByEmail('suzuki@helpdesk.test'))!.id;
    expect((await admin.get(`/staff/${id}`)).html).not.toContain(password);

    const again = await admin.post('/staff', { _csrf: csrf(page.html), email: 'suzuki@helpdesk.test', name: '別人', role: 'expert' });
    expect(again.status).toBe(409);
    expect(again.html).toContain('このメールアドレスの担当者アカウントはすでにあります。');
    const audit = await admin.get('/audit?action=staff.created');
    expect(audit.html).toContain('suzuki@helpdesk.test');
  });

  it('changes a role with a reason, which the audit log keeps', async () => {
    const page = await admin.get(`/staff/${expertId}`);
    const noReason = await admin.post(`/staff/${expertId}/role`, { _csrf: csrf(page.html), role: 'manager', reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.html).toContain('理由を入力してください。');
    expect(noReason.html).toMatch(/<option value="manager" selected>/);

    const done = await admin.post(`/staff/${expertId}/role`, { _csrf: csrf(page.html), role: 'manager', reason: '班長に任命' });
    expect(done.location).toBe(`/staff/${expertId}?done=role`);
    const after = await admin.get(done.location!);
    expect(after.html).toContain('役割を変更しました。');
    expect(rowOf((await admin.get('/staff')).html, EXPERT.email)).toContain('マネージャー');
    const audit = await admin.get('/audit?action=staff.role_changed');
    expect(audit.html).toContain('担当者の役割の変更');
    expect(audit.html).toContain('班長に任命');
    await admin.post(`/staff/${expertId}/role`, { _csrf: csrf(page.html), role: 'expert', reason: '任期終了' });
  });

  it('disabling signs the person out at once, revokes their API tokens and keeps them out until enabled again', async () => {
    const expert = new ConsoleClient(t.baseUrl);
    await expert.login(EXPERT.email, EXPERT.password);
    expect((await expert.get('/consults')).status).toBe(200);
    expect((await t.api('/api/tickets', { token: t.expertToken })).status).toBe(200);

    const page = await admin.get(`/staff/${expertId}`);
    const done = await admin.post(`/staff/${expertId}/disable`, { _csrf: csrf(page.html), reason: '退職' });
    expect(done.location).toBe(`/staff/${expertId}?done=disabled`);
    expect((await expert.get('/consults')).location).toMatch(/^\/login/);
    expect((await new ConsoleClient(t.baseUrl).login(EXPERT.email, EXPERT.password)).status).toBe(401);
    expect(rowOf((await admin.get('/staff')).html, EXPERT.email)).toContain('無効');
    expect((await admin.get('/audit?action=staff.deactivated')).html).toContain('退職');
    expect((await t.api('/api/tickets', { token: t.expertToken })).status).toBe(401);

    const disabled = await admin.get(`/staff/${expertId}`);
    expect(disabled.html).toContain(`action="/staff/${expertId}/enable"`);
    await admin.post(`/staff/${expertId}/enable`, { _csrf: csrf(disabled.html), reason: '再雇用' });
    expect((await new ConsoleClient(t.baseUrl).login(EXPERT.email, EXPERT.password)).status).toBe(303);
    // A token handed out before stays revoked; a new one is issued.
    expect((await t.api('/api/tickets', { token: t.expertToken })).status).toBe(401);
    const fresh = await t.server.app.get(StaffService).createToken(EXPERT.email);
    expect((await t.api('/api/tickets', { token: fresh })).status).toBe(200);
  });

  it('resets a lost second factor: the person is signed out and enrols again at the next sign-in', async () => {
    const manager = new ConsoleClient(t.baseUrl);
    await manager.login(MANAGER.email, MANAGER.password);
    expect((await manager.get('/consults')).location).toBe('/login/totp'); // enrolled in the first test
    const page = await admin.get(`/staff/${managerId}`);
    expect(page.html).toContain('二要素認証をリセット');
    const done = await admin.post(`/staff/${managerId}/second-factor/reset`, { _csrf: csrf(page.html), reason: 'スマートフォン紛失' });
    expect(done.location).toBe(`/staff/${managerId}?done=second_factor_reset`);
    expect((await manager.get('/consults')).location).toMatch(/^\/login/);

    const again = new ConsoleClient(t.baseUrl);
    expect((await again.login(MANAGER.email, MANAGER.password)).location).toBe('/consults');
    expect((await again.get('/consults')).location).toBe('/account/totp');
    expect(rowOf((await admin.get('/staff')).html, MANAGER.email)).toContain('未設定（必須）');
    expect((await admin.get('/audit?action=staff.second_factor_reset')).html).toContain('二要素認証のリセット');
  });

  it('never lets the admin change or disable their own account, and needs the CSRF token', async () => {
    const page = await admin.get(`/staff/${adminId}`);
    expect(page.html).toContain('ご自身のアカウントの役割・状態・二要素認証は、ここでは変更できません');
    expect(page.html).not.toContain(`action="/staff/${adminId}/disable"`);
    const disable = await admin.post(`/staff/${adminId}/disable`, { _csrf: csrf(page.html), reason: 'テスト' });
    expect(disable.status).toBe(400);
    const demote = await admin.post(`/staff/${adminId}/role`, { _csrf: csrf(page.html), role: 'expert', reason: 'テスト' });
    expect(demote.status).toBe(400);
    expect((await admin.post(`/staff/${adminId}/second-factor/reset`, { _csrf: csrf(page.html), reason: 'テスト' })).status).toBe(400);
    expect((await admin.post(`/staff/${expertId}/disable`, { reason: 'CSRFなし' })).status).toBe(403);
    const me = (await t.server.app.get(StaffService).findById(adminId))!;
    expect([me.role, me.active, me.totpEnabledAt !== null]).toEqual(['admin', true, true]);
    expect((await admin.get('/staff')).status).toBe(200);
  });
});
