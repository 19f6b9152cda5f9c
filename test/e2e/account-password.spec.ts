import { checkPassword, StaffService } from '@kkd/staff';
import { ConsoleClient, MANAGER, startTestServer, TestServer } from './support/test-server';

const ACCOUNT = { email: 'sato@helpdesk.test', name: '佐藤 一郎', password: 'sato-first-pass-4821' };
const NEW_PASSWORD = 'kumo-yama-kawa-7395';
const csrf = (html: string) => ConsoleClient.csrfOf(html);

/**
 * A signed-in staff member changes their own password at /account/password: the current one is
 * checked, the new one must pass the product's rules, the other sessions end, the audit log keeps it.
 */
describe('changing one’s own password', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
    const staff = t.server.app.get(StaffService);
    await staff.create({ ...ACCOUNT, role: 'expert' });
    await staff.create({ email: 'throttle@helpdesk.test', name: '試験 次郎', role: 'expert', password: 'quiet-river-5173x' });
  });
  afterAll(async () => { await t.close(); });

  const signedIn = async (email: string, password: string) => {
    const client = new ConsoleClient(t.baseUrl);
    expect((await client.login(email, password)).status).toBe(303);
    return client;
  };
  const submit = async (client: ConsoleClient, form: Record<string, string>) => {
    const page = await client.get('/account/password');
    expect(page.status).toBe(200);
    return client.post('/account/password', { _csrf: csrf(page.html), ...form });
  };

  it('is linked from the header of every page', async () => {
    const client = await signedIn(ACCOUNT.email, ACCOUNT.password);
    expect((await client.get('/consults')).html).toContain('<a href="/account/password">パスワードの変更</a>');
  });

  it('refuses a wrong current password, a weak new one and a confirmation that differs, and keeps the password', async () => {
    const client = await signedIn(ACCOUNT.email, ACCOUNT.password);
    const wrong = await submit(client, { currentPassword: 'not-my-password-99', newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('現在のパスワードが正しくありません。');
    expect(wrong.html).toContain('aria-describedby="current-password-error"');

    for (const weak of ['short-pw', 'password1234', 'abcdefghijklmn']) {
      const res = await submit(client, { currentPassword: ACCOUNT.password, newPassword: weak, confirmPassword: weak });
      expect({ weak, status: res.status }).toEqual({ weak, status: 400 });
      expect(res.html).toContain(checkPassword(weak, ACCOUNT.email)!.message);
      expect(res.html).toContain('aria-describedby="new-password-error"');
    }

    const mismatch = await submit(client, { currentPassword: ACCOUNT.password, newPassword: NEW_PASSWORD, confirmPassword: `${NEW_PASSWORD}x` });
    expect(mismatch.status).toBe(400);
    expect(mismatch.html).toContain('確認用のパスワードが新しいパスワードと一致しません。');
    // No typed password is written back into the page.
    expect(mismatch.html).not.toContain(NEW_PASSWORD);

    await signedIn(ACCOUNT.email, ACCOUNT.password);
  });

  it('refuses the form without its CSRF token', async () => {
    const client = await signedIn(ACCOUNT.email, ACCOUNT.password);
    const res = await client.post('/account/password', { currentPassword: ACCOUNT.password, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    expect(res.status).toBe(403);
    await signedIn(ACCOUNT.email, ACCOUNT.password);
  });

  it('changes the password, ends the other sessions, keeps this one and writes the audit log', async () => {
    const current = await signedIn(ACCOUNT.email, ACCOUNT.password);
    const other = await signedIn(ACCOUNT.email, ACCOUNT.password);
    expect((await other.get('/consults')).status).toBe(200);

    const done = await submit(current, { currentPassword: ACCOUNT.password, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    expect(done.status).toBe(303);
    const page = await current.get(done.location!);
    expect(page.status).toBe(200);
    expect(page.html).toContain('パスワードを変更しました。');

    expect((await current.get('/consults')).status).toBe(200);
    const ended = await other.get('/consults');
    expect(ended.status).toBe(303);
    expect(ended.location).toMatch(/^\/login/);

    const old = new ConsoleClient(t.baseUrl);
    expect((await old.login(ACCOUNT.email, ACCOUNT.password)).status).toBe(401);
    await signedIn(ACCOUNT.email, NEW_PASSWORD);

    const manager = await signedIn(MANAGER.email, MANAGER.password);
    const audit = await manager.get('/audit?action=staff.password_changed');
    expect(audit.html).toContain('パスワードの変更');
    expect(audit.html).toContain(ACCOUNT.email);
  });

  it('counts wrong current passwords toward the sign-in throttle', async () => {
    const who = { email: 'throttle@helpdesk.test', password: 'quiet-river-5173x' };
    const client = await signedIn(who.email, who.password);
    for (let i = 0; i < 5; i++) {
      const res = await submit(client, { currentPassword: `wrong-guess-${i}-xyz`, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
      expect(res.status).toBe(400);
    }
    const blocked = await submit(client, { currentPassword: who.password, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    expect(blocked.status).toBe(429);
    expect((await new ConsoleClient(t.baseUrl).login(who.email, who.password)).status).toBe(429);
  });
});
