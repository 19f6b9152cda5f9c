import { generateSync } from 'otplib';
import { AuditService } from '@kkd/audit';
import { Clock, ValidationError } from '@kkd/core';
import { LoginThrottledError, StaffModule, StaffService, StaffUser, TotpService } from '@kkd/staff';
import { realDbModule } from './support/real-db';

const PASSWORD = 'Hana-Kawa-Mori-77';
const HOME = '192.0.2.10';
const ELSEWHERE = '198.51.100.7';

/**
 * The code step of a sign-in meets the password step's throttle (acceptance t26: 81 wrong codes in
 * a row were checked, since a correct password started every attempt afresh), and an enrolment
 * keeps its secret until a code confirms it (t3: a wrong code made a new QR code).
 */
describe('second factor: wrong codes throttled like wrong passwords, enrolment kept', () => {
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let staff: StaffService;
  let totp: TotpService;
  let audit: AuditService;
  let user: StaffUser;
  let secret: string;
  const clock = { t: Date.parse('2026-06-01T01:00:00Z'), now() { return new Date(this.t); } };
  const seconds = () => Math.floor(clock.t / 1000);
  const rightCode = () => generateSync({ secret, epoch: seconds() });
  /** A six-digit code that is none of the ones accepted now (the step before, now, after). */
  const wrongCode = () => {
    const accepted = [-30, 0, 30].map((d) => generateSync({ secret, epoch: seconds() + d }));
    return ['000000', '111111', '222222', '333333'].find((c) => !accepted.includes(c))!;
  };
  const actions = async (action: string) => (await audit.list({ action, page: 1, pageSize: 100 })).items;

  beforeEach(async () => {
    clock.t = Date.parse('2026-06-01T01:00:00Z');
    db = await realDbModule([StaffModule], { clock: clock as Clock });
    staff = db.module.get(StaffService);
    totp = db.module.get(TotpService);
    audit = db.module.get(AuditService);
    user = await staff.create({ email: 'fujisaki@helpdesk.test', name: '藤崎', role: 'expert', password: PASSWORD });
    secret = (await totp.startEnrolment(user)).secret;
    await totp.confirmEnrolment(user, rightCode());
    user = (await staff.findById(user.id))!;
    clock.t += 60_000; // the enrolment's code is used
  });
  afterEach(async () => { await db.close(); });

  it('counts every wrong code: starting over at the password step gains no attempts, and the account is then locked at both steps', async () => {
    const outcomes: unknown[] = [];
    for (let cycle = 0; cycle < 3; cycle++) {
      try {
        await staff.verifyPassword(user.email, PASSWORD, HOME);
      } catch (err) {
        outcomes.push(`password refused: ${(err as Error).constructor.name}`);
        continue;
      }
      for (let k = 0; k < 3; k++) {
        outcomes.push(await totp.verifySecondFactor(user, wrongCode(), HOME).catch((err) => `code refused: ${(err as Error).constructor.name}`));
      }
    }
    expect(outcomes).toEqual([
      { ok: false, attemptsLeft: 4 }, { ok: false, attemptsLeft: 3 }, { ok: false, attemptsLeft: 2 },
      { ok: false, attemptsLeft: 1 }, 'code refused: LoginThrottledError', 'code refused: LoginThrottledError',
      'password refused: LoginThrottledError',
    ]);
    // Five codes were checked, and audited as failures; the rest were refused unchecked.
    expect(await actions('staff.second_factor_failed')).toHaveLength(5);
    // Locked for the right code too, and for the right password from any address.
    await expect(totp.verifySecondFactor(user, rightCode(), HOME)).rejects.toThrow(LoginThrottledError);
    await expect(staff.verifyPassword(user.email, PASSWORD, ELSEWHERE)).rejects.toThrow(LoginThrottledError);
    expect((await actions('staff.login_throttled')).length).toBeGreaterThanOrEqual(1);

    // When the window has passed, the sign-in works again.
    clock.t += 15 * 60_000;
    await staff.verifyPassword(user.email, PASSWORD, HOME);
    expect(await totp.verifySecondFactor(user, rightCode(), HOME)).toEqual({ ok: true });
  });

  it('shares one limit between wrong passwords from an address and the account\'s wrong codes', async () => {
    await staff.verifyPassword(user.email, PASSWORD, ELSEWHERE);
    for (let k = 0; k < 3; k++) await totp.verifySecondFactor(user, wrongCode(), ELSEWHERE);
    for (let k = 0; k < 2; k++) await expect(staff.verifyPassword(user.email, 'wrong-password-here', HOME)).rejects.toThrow('メールアドレスまたはパスワード');
    await expect(staff.verifyPassword(user.email, PASSWORD, HOME)).rejects.toThrow(LoginThrottledError);
  });

  it('forgets the failures after a completed sign-in, not after a correct password alone', async () => {
    await staff.verifyPassword(user.email, PASSWORD, HOME);
    for (let k = 0; k < 4; k++) await totp.verifySecondFactor(user, wrongCode(), HOME);
    await staff.verifyPassword(user.email, PASSWORD, HOME);
    expect(await totp.verifySecondFactor(user, rightCode(), HOME)).toEqual({ ok: true });
    clock.t += 30_000;
    await staff.verifyPassword(user.email, PASSWORD, HOME);
    expect(await totp.verifySecondFactor(user, wrongCode(), HOME)).toEqual({ ok: false, attemptsLeft: 4 });
  });

  it('checks at most the limit of codes sent at once', async () => {
    await staff.verifyPassword(user.email, PASSWORD, HOME);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => totp.verifySecondFactor(user, wrongCode(), HOME)));
    // Each attempt is counted before its code is checked, so attempts racing one another cannot all pass.
    const checked = (await actions('staff.second_factor_failed')).length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof LoginThrottledError)).toHaveLength(20 - checked);
    await expect(staff.verifyPassword(user.email, PASSWORD, HOME)).rejects.toThrow(LoginThrottledError);
  });

  it('audits the completed sign-in as the login, with how the second factor was given', async () => {
    await staff.verifyPassword(user.email, PASSWORD, HOME);
    await totp.verifySecondFactor(user, wrongCode(), HOME);
    await totp.verifySecondFactor(user, rightCode(), HOME);
    const logins = (await actions('staff.login')).map((e) => JSON.parse(e.details!));
    expect(logins).toContainEqual({ ip: HOME, secondFactor: 'totp' });
    expect((await actions('staff.second_factor_failed')).map((e) => JSON.parse(e.details!))).toEqual([{ ip: HOME, attemptsLeft: 4 }]);
  });

  it('keeps a pending enrolment\'s secret after a wrong code or another visit, until a code confirms it or a new one is asked for', async () => {
    const other = await staff.create({ email: 'kondo@helpdesk.test', name: '近藤', role: 'manager', password: 'Umi-Yama-Sora-2026' });
    const first = await totp.startEnrolment(other);
    await expect(totp.confirmEnrolment(other, '000000' === generateSync({ secret: first.secret, epoch: seconds() }) ? '111111' : '000000')).rejects.toThrow(ValidationError);
    expect((await totp.startEnrolment(other)).secret).toBe(first.secret);
    const renewed = await totp.startEnrolment(other, true);
    expect(renewed.secret).not.toBe(first.secret);
    expect((await totp.startEnrolment(other)).secret).toBe(renewed.secret);
    await totp.confirmEnrolment(other, generateSync({ secret: renewed.secret, epoch: seconds() }));
    expect((await staff.findById(other.id))!.totpEnabledAt).not.toBeNull();
  });
});

/** Needs the one-line change of StaffService.verifyPassword (the password step's audit action). */
describe('second factor: the password step alone is not audited as a login', () => {
  let db: Awaited<ReturnType<typeof realDbModule>>;
  afterEach(async () => { await db.close(); });

  it('records the password step of an enrolled account as its own action', async () => {
    db = await realDbModule([StaffModule]);
    const staff = db.module.get(StaffService);
    const totp = db.module.get(TotpService);
    const audit = db.module.get(AuditService);
    const created = await staff.create({ email: 'fujisaki@helpdesk.test', name: '藤崎', role: 'expert', password: PASSWORD });
    const { secret } = await totp.startEnrolment(created);
    await totp.confirmEnrolment(created, generateSync({ secret, epoch: Math.floor(Date.now() / 1000) }));
    await staff.verifyPassword(created.email, PASSWORD, HOME);
    const list = async (action: string) => (await audit.list({ action, page: 1, pageSize: 10 })).items;
    expect(await list('staff.login')).toHaveLength(0);
    expect((await list('staff.login_password_ok')).map((e) => [e.actorEmail, JSON.parse(e.details!)])).toEqual([['fujisaki@helpdesk.test', { ip: HOME }]]);
  });
});
