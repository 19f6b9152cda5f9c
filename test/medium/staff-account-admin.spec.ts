import { generateSync } from 'otplib';
import { AuditService } from '@kkd/audit';
import { TransactionRunner, ValidationError } from '@kkd/core';
import { checkPassword, SessionService, StaffAccountsService, StaffModule, StaffService, StaffUser, TotpService } from '@kkd/staff';
import { realDbModule } from './support/real-db';

/** The admins' staff-account management: lockout rules, sessions ended, second factor reset, audit. */
describe('staff accounts managed by admins, on a real database', () => {
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let staff: StaffService;
  let accounts: StaffAccountsService;
  let sessions: SessionService;
  let audit: AuditService;
  let first: StaffUser;
  let second: StaffUser;
  let expert: StaffUser;

  beforeEach(async () => {
    db = await realDbModule([StaffModule]);
    staff = db.module.get(StaffService);
    accounts = db.module.get(StaffAccountsService);
    sessions = db.module.get(SessionService);
    audit = db.module.get(AuditService);
    first = await staff.create({ email: 'first@helpdesk.test', name: '第一 管理', role: 'admin', password: 'Tsuki-Yoru-Kaze-8' });
    second = await staff.create({ email: 'second@helpdesk.test', name: '第二 管理', role: 'admin', password: 'Umi-Yama-Sora-2026' });
    expert = await staff.create({ email: 'sato@helpdesk.test', name: '佐藤', role: 'expert', password: 'Hana-Kawa-Mori-77' });
  });
  afterEach(async () => { await db.close(); });

  const entries = async (action: string) => (await audit.list({ action, page: 1, pageSize: 20 })).items
    .map((e) => [e.actorEmail, e.targetLabel, e.details && JSON.parse(e.details)]);
  const sessionRows = (userId: number) => db.module.get(TransactionRunner).readManager.query(`SELECT id FROM sessions WHERE user_id = ${userId}`);

  it('lists every account, whatever its role, with the last recorded sign-in', async () => {
    await staff.verifyPassword('second@helpdesk.test', 'Umi-Yama-Sora-2026', '127.0.0.1');
    const overview = await accounts.overview();
    expect(overview.map((a) => [a.user.email, a.user.role, a.lastLoginAt !== null])).toEqual(expect.arrayContaining([
      ['first@helpdesk.test', 'admin', false], ['second@helpdesk.test', 'admin', true], ['sato@helpdesk.test', 'expert', false],
    ]));
    expect(overview).toHaveLength(3);
  });

  it('creates an account with a one-time password that passes the rules and signs in, audited with who created it', async () => {
    const { user, password } = await accounts.create({ email: ' Lead@Helpdesk.test ', name: '鈴木', role: 'manager' }, first);
    expect(user.email).toBe('lead@helpdesk.test');
    expect(checkPassword(password, user.email)).toBeNull();
    expect((await staff.verifyPassword('lead@helpdesk.test', password, '127.0.0.1')).id).toBe(user.id);
    expect(await entries('staff.created')).toContainEqual(['first@helpdesk.test', 'lead@helpdesk.test', { role: 'manager', via: 'console' }]);
  });

  it('changes a role with its reason in the audit log, and refuses an empty reason or the same role', async () => {
    await expect(accounts.changeRole(expert.id, 'manager', first, '  ')).rejects.toMatchObject({ field: 'reason' });
    await expect(accounts.changeRole(expert.id, 'expert', first, '昇格')).rejects.toMatchObject({ field: 'role' });
    await accounts.changeRole(expert.id, 'manager', first, 'チームリーダーに昇格');
    expect((await staff.findById(expert.id))!.role).toBe('manager');
    expect(await entries('staff.role_changed')).toEqual([['first@helpdesk.test', 'sato@helpdesk.test', { from: 'expert', to: 'manager', reason: 'チームリーダーに昇格' }]]);
  });

  it('never lets an admin change their own account or take away the last active admin', async () => {
    await expect(accounts.changeRole(first.id, 'manager', first, '異動')).rejects.toThrow(ValidationError);
    await expect(accounts.setActive(first.id, false, first, '退職')).rejects.toThrow(ValidationError);
    await accounts.setActive(second.id, false, first, '退職');
    // The second admin, signed in before, now tries to remove the only active admin left.
    await expect(accounts.setActive(first.id, false, second, '乗っ取り')).rejects.toThrow('有効な管理者がいなくなるため変更できません');
    await expect(accounts.changeRole(first.id, 'expert', second, '乗っ取り')).rejects.toThrow('有効な管理者がいなくなるため変更できません');
    // Nor through the expert page's profile form.
    await expect(staff.updateProfile(first.id, { active: false }, expert)).rejects.toMatchObject({ field: 'active' });
    const still = (await staff.findById(first.id))!;
    expect([still.role, still.active]).toEqual(['admin', true]);
    expect(await entries('staff.role_changed')).toEqual([]);
  });

  it('disabling ends the sessions at once and stops sign-in; enabling lets the person in again', async () => {
    const cookie = await sessions.start(expert);
    await sessions.start(expert);
    await accounts.setActive(expert.id, false, first, '長期休職');
    expect(await sessions.find(cookie)).toBeNull();
    expect(await sessionRows(expert.id)).toEqual([]);
    await expect(staff.verifyPassword('sato@helpdesk.test', 'Hana-Kawa-Mori-77', '127.0.0.1')).rejects.toThrow();
    await accounts.setActive(expert.id, true, first, '復職');
    expect((await staff.verifyPassword('sato@helpdesk.test', 'Hana-Kawa-Mori-77', '127.0.0.1')).id).toBe(expert.id);
    expect(await entries('staff.deactivated')).toEqual([['first@helpdesk.test', 'sato@helpdesk.test', { reason: '長期休職', sessionsEnded: 2, tokensRevoked: 0 }]]);
    expect(await entries('staff.reactivated')).toEqual([['first@helpdesk.test', 'sato@helpdesk.test', { reason: '復職' }]]);
  });

  it('resets a lost second factor: secret, recovery codes and sessions gone, enrolment again', async () => {
    const totp = db.module.get(TotpService);
    const { secret } = await totp.startEnrolment(second);
    await totp.confirmEnrolment(second, generateSync({ secret, epoch: Math.floor(Date.now() / 1000) }));
    const cookie = await sessions.start((await staff.findById(second.id))!, true);
    await accounts.resetSecondFactor(second.id, first, 'スマートフォン紛失');
    const after = (await staff.findById(second.id))!;
    expect(after.totpEnabledAt).toBeNull();
    expect(await sessions.find(cookie)).toBeNull();
    expect(await totp.remainingRecoveryCodes(after)).toBe(0);
    // A fresh enrolment is possible (it refuses an account still enrolled).
    await expect(totp.startEnrolment(after)).resolves.toHaveProperty('secret');
    await expect(accounts.resetSecondFactor(second.id, first, 'もう一度')).rejects.toMatchObject({ field: 'secondFactor' });
    expect(await entries('staff.second_factor_reset')).toEqual([['first@helpdesk.test', 'second@helpdesk.test', { reason: 'スマートフォン紛失', sessionsEnded: 1 }]]);
  });
});
