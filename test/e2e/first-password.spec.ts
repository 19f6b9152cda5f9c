import { generateSync } from 'otplib';
import { StaffAccountsService, StaffService } from '@kkd/staff';
import { ConsoleClient, EXPERT, startTestServer, TestServer } from './support/test-server';

const csrf = (html: string) => ConsoleClient.csrfOf(html);
const OWN_PASSWORD = 'kumo-yama-kawa-7395';

/** Changes the password at /account/password; returns the form's response. */
async function changePassword(client: ConsoleClient, current: string, next: string) {
  const page = await client.get('/account/password');
  expect(page.status).toBe(200);
  return client.post('/account/password', { _csrf: csrf(page.html), currentPassword: current, newPassword: next, confirmPassword: next });
}

/**
 * A password the product generated (console creation, the first admin without ADMIN_PASSWORD) is
 * one-time: the person signs in with it once and must choose their own before any other page;
 * sign-out and the API keep working. A role that needs a second factor enrols after that.
 */
describe('replacing a generated password at the first sign-in', () => {
  let t: TestServer;
  let accounts: StaffAccountsService;
  let admin: { id: number; email: string };

  beforeAll(async () => {
    // No ADMIN_PASSWORD: the first admin gets a generated one.
    t = await startTestServer({ ADMIN_PASSWORD: '', TOTP_REQUIRED_ROLES: 'manager,admin' });
    accounts = t.server.app.get(StaffAccountsService);
    admin = (await t.server.app.get(StaffService).findByEmail('admin@helpdesk.test'))!;
  });
  afterAll(async () => { await t.close(); });

  it('holds the person at the password page, sign-in after sign-in, until they choose their own', async () => {
    const { user, password } = await accounts.create({ email: 'takahashi.k@helpdesk.test', name: '高橋 健', role: 'expert' }, admin);
    const client = new ConsoleClient(t.baseUrl);
    expect((await client.login(user.email, password)).location).toBe('/consults');
    for (const path of ['/consults', '/', '/account/totp', '/audit', `/consults?status=open`]) {
      const res = await client.get(path);
      expect({ path, status: res.status, location: res.location }).toEqual({ path, status: 303, location: '/account/password' });
    }
    const page = await client.get('/account/password');
    expect(page.status).toBe(200);
    expect(page.html).toContain('初期パスワードでログインしています。');

    // Signing out works; signing in again with the one-time password lands at the same page.
    const out = await client.post('/logout', { _csrf: csrf(page.html) });
    expect(out.location).toBe('/login');
    const again = new ConsoleClient(t.baseUrl);
    await again.login(user.email, password);
    expect((await again.get('/consults')).location).toBe('/account/password');

    // The email address is no password of one's own.
    const refused = await changePassword(again, password, user.email);
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('メールアドレス（または@より前の部分）に数字や記号を足しただけのパスワードは使えません。');
    expect((await again.get('/consults')).location).toBe('/account/password');

    const done = await changePassword(again, password, OWN_PASSWORD);
    expect(done.status).toBe(303);
    expect((await again.get('/consults')).status).toBe(200);
    const next = new ConsoleClient(t.baseUrl);
    expect((await next.login(user.email, password)).status).toBe(401);
    await next.login(user.email, OWN_PASSWORD);
    expect((await next.get('/consults')).status).toBe(200);
  });

  it('leaves the API alone: a token of an account still on its generated password works', async () => {
    const { user } = await accounts.create({ email: 'api.user@helpdesk.test', name: '連携 用', role: 'expert' }, admin);
    const token = await t.server.app.get(StaffService).createToken(user.email);
    expect((await t.api('/api/tickets', { token })).status).toBe(200);
  });

  it('does not hold an account whose password was chosen (users:create --password-stdin, ADMIN_PASSWORD)', async () => {
    const client = new ConsoleClient(t.baseUrl);
    await client.login(EXPERT.email, EXPERT.password);
    expect((await client.get('/consults')).status).toBe(200);
  });

  it('asks the first admin created without ADMIN_PASSWORD for a new password first, then for the second factor', async () => {
    const password = t.server.initialAdmin!.password!;
    const client = new ConsoleClient(t.baseUrl);
    await client.login('admin@helpdesk.test', password);
    expect((await client.get('/staff')).location).toBe('/account/password');
    expect((await client.get('/account/totp')).location).toBe('/account/password');

    expect((await changePassword(client, password, OWN_PASSWORD)).status).toBe(303);
    expect((await client.get('/staff')).location).toBe('/account/totp');
    const enrol = await client.get('/account/totp');
    const secret = /<code class="totp-secret">([A-Z2-7]+)<\/code>/.exec(enrol.html)![1];
    const code = generateSync({ secret, epoch: Math.floor(Date.now() / 1000) });
    expect((await client.post('/account/totp', { _csrf: csrf(enrol.html), code })).status).toBe(200);
    expect((await client.get('/staff')).status).toBe(200);
  });
});
