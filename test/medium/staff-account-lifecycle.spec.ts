import { DataSource } from 'typeorm';
import { AuditService } from '@kkd/audit';
import { StaffAccountsService, StaffModule, StaffService, StaffUser, WeakPasswordError } from '@kkd/staff';
import { realDbModule, runMigration } from './support/real-db';

const ADMIN = { email: 'first@helpdesk.test', name: '第一 管理', role: 'admin' as const, password: 'Tsuki-Yoru-Kaze-8' };
const EXPERT = { email: 'takahashi.k@helpdesk.test', name: '高橋 健', role: 'expert' as const, password: 'Hana-Kawa-Mori-77' };
const OWN_PASSWORD = 'kumo-yama-kawa-7395';

/**
 * A staff account's life on a real database: a generated password must be replaced at the first
 * sign-in, a chosen one need not; the address is no password; disabling revokes the API tokens
 * for good.
 */
describe('staff account lifecycle, on a real database', () => {
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let staff: StaffService;
  let accounts: StaffAccountsService;
  let admin: StaffUser;

  beforeEach(async () => {
    db = await realDbModule([StaffModule]);
    staff = db.module.get(StaffService);
    accounts = db.module.get(StaffAccountsService);
    admin = await staff.create(ADMIN);
  });
  afterEach(async () => { await db.close(); });

  const mustChange = async (email: string) => (await staff.findByEmail(email))!.mustChangePassword;
  const deactivations = async () => (await db.module.get(AuditService).list({ action: 'staff.deactivated', page: 1, pageSize: 20 })).items
    .map((e) => [e.targetLabel, e.details && JSON.parse(e.details)]);

  describe('API tokens of a disabled account', () => {
    it('are revoked by disabling in the staff console: enabling again does not bring them back, a new one works', async () => {
      const expert = await staff.create(EXPERT);
      const tokens = [await staff.createToken(EXPERT.email), await staff.createToken(EXPERT.email)];
      expect((await staff.authenticateToken(tokens[0]))?.id).toBe(expert.id);

      await accounts.setActive(expert.id, false, admin, '退職');
      await accounts.setActive(expert.id, true, admin, '復職');
      for (const token of tokens) expect(await staff.authenticateToken(token)).toBeNull();
      expect(await deactivations()).toEqual([[EXPERT.email, { reason: '退職', sessionsEnded: 0, tokensRevoked: 2 }]]);

      const fresh = await staff.createToken(EXPERT.email);
      expect((await staff.authenticateToken(fresh))?.id).toBe(expert.id);
    });

    it('are revoked by disabling on the expert page too, and only that account’s', async () => {
      const expert = await staff.create(EXPERT);
      const other = await staff.create({ email: 'sato@helpdesk.test', name: '佐藤', role: 'expert', password: 'Umi-Yama-Sora-2026' });
      const token = await staff.createToken(EXPERT.email);
      const othersToken = await staff.createToken('sato@helpdesk.test');

      await staff.updateProfile(expert.id, { active: false }, admin);
      await staff.updateProfile(expert.id, { active: true }, admin);
      expect(await staff.authenticateToken(token)).toBeNull();
      expect((await staff.authenticateToken(othersToken))?.id).toBe(other.id);
      expect(await deactivations()).toEqual([[EXPERT.email, { tokensRevoked: 1 }]]);
    });
  });

  describe('the email address as a password', () => {
    it.each([
      ['the address', EXPERT.email],
      ['the address in capitals', EXPERT.email.toUpperCase()],
      ['the address with digits added', `${EXPERT.email}2026`],
      ['the local part with digits and symbols added', 'takahashi.k#123456789012'],
    ])('is refused at creation and at a change: %s', async (_name, password) => {
      const created = await staff.create({ ...EXPERT, password }).catch((e: unknown) => e);
      expect(created).toBeInstanceOf(WeakPasswordError);
      expect(created).toMatchObject({ rule: 'email_address' });
      expect(await staff.findByEmail(EXPERT.email)).toBeNull();

      const expert = await staff.create(EXPERT);
      await expect(staff.changePassword(expert.id, EXPERT.password, password, 'no-session', '127.0.0.1')).rejects.toMatchObject({ rule: 'email_address' });
      expect((await staff.verifyPassword(EXPERT.email, EXPERT.password, '127.0.0.1')).id).toBe(expert.id);
    });
  });

  describe('a generated password', () => {
    it('must be replaced after console creation; changing it clears that, and only for that account', async () => {
      const { user, password } = await accounts.create({ email: 'lead@helpdesk.test', name: '鈴木', role: 'manager' }, admin);
      expect(user.mustChangePassword).toBe(true);
      expect(await mustChange('lead@helpdesk.test')).toBe(true);
      expect(await mustChange(ADMIN.email)).toBe(false);

      // Signing in with it works (the console then holds the person at the password page).
      expect((await staff.verifyPassword('lead@helpdesk.test', password, '127.0.0.1')).mustChangePassword).toBe(true);
      await staff.changePassword(user.id, password, OWN_PASSWORD, 'no-session', '127.0.0.1');
      expect(await mustChange('lead@helpdesk.test')).toBe(false);
    });

    it('must be replaced for the first admin created without ADMIN_PASSWORD', async () => {
      await db.close();
      db = await realDbModule([StaffModule]);
      staff = db.module.get(StaffService);
      const created = await staff.ensureInitialAdmin();
      expect(await mustChange(created!.email)).toBe(true);
    });

    it('is not what a chosen password is: ADMIN_PASSWORD and a password given at creation need no change', async () => {
      await db.close();
      db = await realDbModule([StaffModule]);
      staff = db.module.get(StaffService);
      await staff.ensureInitialAdmin('ops@helpdesk.test', 'ops-password-2026');
      await staff.create(EXPERT);
      await staff.create({ email: 'nopass@helpdesk.test', name: '無し', role: 'expert' });
      expect([await mustChange('ops@helpdesk.test'), await mustChange(EXPERT.email), await mustChange('nopass@helpdesk.test')]).toEqual([false, false, false]);
    });
  });

  it('the migration flags console-created accounts still on their one-time password, and no other', async () => {
    const unchanged = await accounts.create({ email: 'new.one@helpdesk.test', name: '新人', role: 'expert' }, admin);
    const changed = await accounts.create({ email: 'done.one@helpdesk.test', name: '済み', role: 'expert' }, admin);
    await staff.changePassword(changed.user.id, changed.password, OWN_PASSWORD, 'no-session', '127.0.0.1');
    await staff.create(EXPERT);

    const sql = db.module.get(DataSource);
    await runMigration(sql, 'StaffPasswordChange1765523000000', 'down');
    await runMigration(sql, 'StaffPasswordChange1765523000000', 'up');
    const flags = await Promise.all([unchanged.user.email, changed.user.email, EXPERT.email, ADMIN.email].map(mustChange));
    expect(flags).toEqual([true, false, false, false]);
  });
});
