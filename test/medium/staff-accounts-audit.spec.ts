import { AuditService } from '@kkd/audit';
import { ConfigError, TransactionRunner } from '@kkd/core';
import { checkPassword, StaffModule, StaffService, WeakPasswordError } from '@kkd/staff';
import { realDbModule } from './support/real-db';

describe('staff passwords and account changes on a real database', () => {
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let staff: StaffService;
  let audit: AuditService;
  beforeEach(async () => {
    db = await realDbModule([StaffModule]);
    staff = db.module.get(StaffService);
    audit = db.module.get(AuditService);
  });
  afterEach(async () => { await db.close(); });

  it('refuses a weak ADMIN_PASSWORD at first start, creating nothing', async () => {
    await expect(staff.ensureInitialAdmin('admin@helpdesk.test', 'admin12345678')).rejects.toThrow(ConfigError);
    await expect(staff.ensureInitialAdmin('admin@helpdesk.test', 'admin12345678')).rejects.toThrow(/ADMIN_PASSWORD: refused by rule email_local_part/);
    expect(await staff.count()).toBe(0);
  });

  it('generates a one-time admin password that passes the rules, and audits the account', async () => {
    const created = await staff.ensureInitialAdmin();
    expect(created?.password).toBeDefined();
    expect(checkPassword(created!.password!, created!.email)).toBeNull();
    const { items } = await audit.list({ action: 'staff.created', page: 1, pageSize: 10 });
    expect(items.map((e) => [e.actorEmail, e.targetLabel, JSON.parse(e.details!)])).toEqual([[null, 'admin@helpdesk.test', { role: 'admin', initial: true }]]);
  });

  it('refuses a weak password with the Japanese message for the console', async () => {
    const err = await staff.create({ email: 'sato@helpdesk.test', name: '佐藤', role: 'expert', password: 'password1234' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeakPasswordError);
    expect(err).toMatchObject({ field: 'password', rule: 'common', message: 'よく使われるパスワードに近いため使えません。推測されにくい語句を組み合わせてください。' });
    expect(await staff.findByEmail('sato@helpdesk.test')).toBeNull();
  });

  it('audits a change of role and of the active flag with who made it, and nothing when neither changes', async () => {
    const manager = await staff.create({ email: 'lead@helpdesk.test', name: '管理', role: 'manager', password: 'Tsuki-Yoru-Kaze-8' });
    const user = await staff.create({ email: 'sato@helpdesk.test', name: '佐藤', role: 'expert', password: 'Umi-Yama-Sora-2026' });
    await staff.updateProfile(user.id, { capacity: 3 }, manager);
    await staff.updateProfile(user.id, { role: 'manager', active: false }, manager);
    const { items } = await audit.list({ target: 'sato@helpdesk.test', page: 1, pageSize: 10 });
    expect(items.map((e) => [e.action, e.actorEmail, e.details && JSON.parse(e.details)])).toEqual(expect.arrayContaining([
      ['staff.role_changed', 'lead@helpdesk.test', { from: 'expert', to: 'manager' }],
      ['staff.deactivated', 'lead@helpdesk.test', { tokensRevoked: 0 }],
      ['staff.created', null, { role: 'expert' }],
    ]));
    expect(items).toHaveLength(3);
    await expect(staff.updateProfile(user.id, { role: 'boss' as never }, manager)).rejects.toThrow(/role must be one of/);
  });

  it('keeps an audit entry written outside a work even when a work open at that moment rolls back', async () => {
    const tx = db.module.get(TransactionRunner);
    let release!: () => void;
    let started!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const workStarted = new Promise<void>((resolve) => { started = resolve; });
    const failing = tx.run(async (em) => {
      await em.query("INSERT INTO counters (name, value) VALUES ('audit_probe', 1)");
      started();
      await gate;
      throw new Error('rolled back');
    });
    await workStarted;
    // A sign-in's audit entry while that work holds the transaction (SQLite: the one connection).
    const recorded = audit.record(null, { actor: null, action: 'staff.login_failed', target: { type: 'staff', label: 'x@helpdesk.test' } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await expect(failing).rejects.toThrow('rolled back');
    await recorded;
    const { items } = await audit.list({ action: 'staff.login_failed', page: 1, pageSize: 10 });
    expect(items.map((e) => e.targetLabel)).toEqual(['x@helpdesk.test']);
  });
});
