import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import bcrypt from 'bcryptjs';
import { EntityManager, In, Not, Repository } from 'typeorm';
import { AuditActor, AuditService } from '@kkd/audit';
import { Clock, ConfigError, NotFoundError, TransactionRunner, ValidationError } from '@kkd/core';
import { ApiToken } from './entities/api-token.entity';
import { Session } from './entities/session.entity';
import { NEW_CONSULT_NOTICES, NewConsultNotice, STAFF_ROLES, StaffRole, StaffUser } from './entities/staff-user.entity';
import { LoginFailureRepository } from './login-failure.repository';
import { InvalidCredentialsError, LoginThrottledError, StaffExistsError, WeakPasswordError } from './staff.exception';
import { LoginThrottle } from './utils/login-throttle';
import { checkPassword } from './utils/password-rules.util';
import { newOneTimePassword, newSecret, sha256Hex } from './utils/secret-token.util';
import { assertAnotherActiveAdmin } from './admin-lockout';

const BCRYPT_COST = 11;
// Compared against when the account does not exist, so both failures take the same time.
const DUMMY_HASH = bcrypt.hashSync('not-a-password', BCRYPT_COST);

export interface CreateStaffInput {
  email: string;
  name: string;
  role: StaffRole;
  password?: string;
  skills?: string[];
}

export interface ExpertProfileInput {
  skills?: string[];
  capacity?: number;
  active?: boolean;
  newConsultNotice?: NewConsultNotice;
  role?: StaffRole;
}

/** What the audit log calls a staff account. */
/** A staff account as the audit log names it. */
export const staffTarget = (user: Pick<StaffUser, 'id' | 'email'>) => ({ type: 'staff', id: user.id, label: user.email });
/**
 * What was typed in the email field of a refused sign-in, bounded: only when it looks like an
 * address, since a password typed into the wrong field must not reach the audit log.
 */
const triedEmail = (email: string) => {
  const tried = email.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(tried) ? tried.slice(0, 254) : '（メールアドレスの形式でない入力）';
};

/** Refuses a new password that breaks a rule of password-rules.util. */
function assertPasswordRules(password: string, email: string): void {
  const problem = checkPassword(password, email);
  if (problem) throw new WeakPasswordError(problem.rule, problem.message, problem.reason);
}

/** The skills of a staff account as a list of category codes. */
export function skillsOf(user: Pick<StaffUser, 'skills'>): string[] {
  return user.skills ? user.skills.split(',').filter(Boolean) : [];
}

@Injectable()
export class StaffService {
  private readonly logger = new Logger(StaffService.name);
  private readonly throttle: LoginThrottle;

  constructor(
    @InjectRepository(StaffUser) private readonly users: Repository<StaffUser>,
    @InjectRepository(ApiToken) private readonly tokens: Repository<ApiToken>,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    loginFailures: LoginFailureRepository,
  ) {
    this.throttle = new LoginThrottle(loginFailures);
  }

  /** `actor` is who creates the account (null: the command line or the first start). */
  async create(input: CreateStaffInput, actor: AuditActor | null = null, details: Record<string, unknown> = {}): Promise<StaffUser> {
    const email = input.email.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new ValidationError('email', `"${input.email}" is not an email address`);
    if (!STAFF_ROLES.includes(input.role)) throw new ValidationError('role', `role must be one of ${STAFF_ROLES.join(', ')}`);
    if (!input.name.trim()) throw new ValidationError('name', 'name is required');
    if (input.password !== undefined) assertPasswordRules(input.password, email);
    const passwordHash = input.password === undefined ? null : await bcrypt.hash(input.password, BCRYPT_COST);
    return this.tx.run(async (em) => {
      const repo = em.getRepository(StaffUser);
      if (await repo.exists({ where: { email } })) throw new StaffExistsError(email);
      const user = repo.create({
        email, name: input.name.trim(), role: input.role, passwordHash, skills: (input.skills ?? []).join(','),
        active: true, createdAt: this.clock.now(),
      });
      const saved = await repo.save(user);
      await this.audit.record(em, { actor, action: 'staff.created', target: staffTarget(saved), details: { role: saved.role, ...details } });
      return saved;
    });
  }

  findByEmail(email: string): Promise<StaffUser | null> {
    return this.users.findOne({ where: { email: email.trim().toLowerCase() } });
  }

  findById(id: number): Promise<StaffUser | null> {
    return this.users.findOne({ where: { id } });
  }

  /** Every staff account, active ones first, by name. */
  list(): Promise<StaffUser[]> {
    return this.users.find({ order: { active: 'DESC', name: 'ASC', id: 'ASC' } });
  }

  /** An expert's profile: skills (category codes), capacity (open consults) and whether active. */
  async updateProfile(id: number, profile: ExpertProfileInput, actor: AuditActor | null = null): Promise<StaffUser> {
    if (profile.role !== undefined && !STAFF_ROLES.includes(profile.role)) throw new ValidationError('role', `role must be one of ${STAFF_ROLES.join(', ')}`);
    if (profile.capacity !== undefined && (!Number.isInteger(profile.capacity) || profile.capacity < 0 || profile.capacity > 1000)) {
      throw new ValidationError('capacity', '担当上限は 0〜1000 の整数で入力してください。');
    }
    if (profile.newConsultNotice !== undefined && !NEW_CONSULT_NOTICES.includes(profile.newConsultNotice)) {
      throw new ValidationError('newConsultNotice', '新規相談の通知の指定が正しくありません。');
    }
    return this.tx.run(async (em) => {
      const repo = em.getRepository(StaffUser);
      const user = await repo.findOne({ where: { id } });
      if (!user) throw new NotFoundError('staff user', id);
      if (profile.skills !== undefined) user.skills = [...new Set(profile.skills)].join(',');
      if (profile.capacity !== undefined) user.capacity = profile.capacity;
      const before = { role: user.role, active: user.active };
      // The expert page must not take away the last active admin either.
      if (before.role === 'admin' && before.active && (profile.active === false || (profile.role !== undefined && profile.role !== 'admin'))) {
        await assertAnotherActiveAdmin(em, user.id, profile.active === false ? 'active' : 'role');
      }
      if (profile.active !== undefined) user.active = profile.active;
      if (profile.role !== undefined) user.role = profile.role;
      if (profile.newConsultNotice !== undefined) user.newConsultNotice = profile.newConsultNotice;
      const saved = await repo.save(user);
      // A change of role or of the active flag goes to the audit log, in the same transaction.
      if (saved.role !== before.role) {
        await this.audit.record(em, { actor, action: 'staff.role_changed', target: staffTarget(saved), details: { from: before.role, to: saved.role } });
      }
      if (saved.active !== before.active) {
        await this.audit.record(em, { actor, action: saved.active ? 'staff.reactivated' : 'staff.deactivated', target: staffTarget(saved) });
      }
      return saved;
    });
  }

  /** Who receives managers' notices: active managers, or the admins when there is no manager. */
  async noticeRecipients(em: EntityManager = this.users.manager): Promise<StaffUser[]> {
    const leads = await em.getRepository(StaffUser).find({ where: { role: In(['manager', 'admin']), active: true }, order: { id: 'ASC' } });
    const managers = leads.filter((u) => u.role === 'manager');
    return managers.length ? managers : leads;
  }

  count(): Promise<number> {
    return this.users.count();
  }

  /**
   * Checks a password sign-in; `clientIp` (the client's address) scopes the throttle. Success,
   * failure and the first refusal by the throttle are written to the audit log with the address;
   * the password never is. Both failures answer the same and take the same path.
   */
  async verifyPassword(email: string, password: string, clientIp: string): Promise<StaffUser> {
    const key = `${clientIp}|${email.trim().toLowerCase()}`;
    const now = this.clock.now().getTime();
    const target = { type: 'staff', label: triedEmail(email) };
    if (await this.throttle.isBlocked(key, now)) {
      if (await this.throttle.firstRefusal(key, now)) await this.audit.record(null, { actor: null, action: 'staff.login_throttled', target, details: { ip: clientIp } });
      throw new LoginThrottledError();
    }
    const user = await this.findByEmail(email);
    const ok = await bcrypt.compare(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !user.passwordHash || !user.active || !ok) {
      await this.throttle.recordFailure(key, now);
      const reason = !user ? 'unknown_account' : !user.active ? 'inactive' : !user.passwordHash ? 'no_password' : 'wrong_password';
      await this.audit.record(null, { actor: null, action: 'staff.login_failed', target: { ...target, id: user?.id ?? null }, details: { ip: clientIp, reason } });
      throw new InvalidCredentialsError();
    }
    await this.throttle.reset(key);
    await this.audit.record(null, { actor: user, action: 'staff.login', target: staffTarget(user), details: { ip: clientIp } });
    return user;
  }

  /**
   * A signed-in user's own password change. The current password is checked like a sign-in (a
   * wrong one counts toward the same throttle); the new one must pass the product's rules. On
   * success the user's other sessions end, the one given by `keepSessionSecret` stays.
   */
  async changePassword(userId: number, current: string, next: string, keepSessionSecret: string, clientIp: string): Promise<{ sessionsEnded: number }> {
    const user = await this.findById(userId);
    if (!user || !user.active) throw new NotFoundError('staff user', userId);
    const key = `${clientIp}|${user.email}`;
    const now = this.clock.now().getTime();
    if (await this.throttle.isBlocked(key, now)) throw new LoginThrottledError();
    if (!user.passwordHash || !(await bcrypt.compare(current, user.passwordHash))) {
      await this.throttle.recordFailure(key, now);
      throw new ValidationError('currentPassword', '現在のパスワードが正しくありません。');
    }
    await this.throttle.reset(key);
    if (next === current) throw new ValidationError('newPassword', '現在と同じパスワードは使えません。');
    assertPasswordRules(next, user.email);
    const passwordHash = await bcrypt.hash(next, BCRYPT_COST);
    return this.tx.run(async (em) => {
      await em.getRepository(StaffUser).update(user.id, { passwordHash });
      const others = { userId: user.id, id: Not(sha256Hex(keepSessionSecret)) };
      const sessionsEnded = await em.getRepository(Session).count({ where: others });
      if (sessionsEnded) await em.getRepository(Session).delete(others);
      await this.audit.record(em, { actor: user, action: 'staff.password_changed', target: staffTarget(user), details: { ip: clientIp, sessionsEnded } });
      return { sessionsEnded };
    });
  }

  /** A new API token for the account; the secret is returned once and only its hash is kept. */
  async createToken(email: string): Promise<string> {
    const user = await this.findByEmail(email);
    if (!user) throw new NotFoundError('staff account', email);
    const secret = `kkd_${newSecret()}`;
    await this.tx.run((em) => em.getRepository(ApiToken).insert({ userId: user.id, tokenHash: sha256Hex(secret), createdAt: this.clock.now() }));
    return secret;
  }

  async authenticateToken(secret: string): Promise<StaffUser | null> {
    const token = await this.tokens.findOne({ where: { tokenHash: sha256Hex(secret) }, relations: { user: true } });
    return token && token.user.active ? token.user : null;
  }

  /**
   * On a database with no staff account, creates the first admin: from ADMIN_EMAIL/ADMIN_PASSWORD
   * when given, else with a generated one-time password that is returned to be printed once.
   */
  async ensureInitialAdmin(email?: string, password?: string): Promise<{ email: string; password?: string } | null> {
    if ((await this.count()) > 0) return null;
    const adminEmail = email ?? 'admin@helpdesk.test';
    let generated: string | undefined;
    if (password === undefined) {
      generated = newOneTimePassword(adminEmail);
    } else {
      const problem = checkPassword(password, adminEmail);
      if (problem) throw new ConfigError('ADMIN_PASSWORD', `ADMIN_PASSWORD: refused by rule ${problem.rule}, ${problem.reason}`);
    }
    await this.create({ email: adminEmail, name: '管理者', role: 'admin', password: password ?? generated }, null, { initial: true });
    this.logger.log('initial admin account created');
    return { email: adminEmail, password: generated };
  }
}
