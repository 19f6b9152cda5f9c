import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import bcrypt from 'bcryptjs';
import { EntityManager, In, Repository } from 'typeorm';
import { Clock, NotFoundError, TransactionRunner, ValidationError } from '@kkd/core';
import { ApiToken } from './entities/api-token.entity';
import { STAFF_ROLES, StaffRole, StaffUser } from './entities/staff-user.entity';
import { InvalidCredentialsError, LoginThrottledError, StaffExistsError } from './staff.exception';
import { LoginThrottle } from './utils/login-throttle';
import { newSecret, sha256Hex } from './utils/secret-token.util';

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
}

/** The skills of a staff account as a list of category codes. */
export function skillsOf(user: Pick<StaffUser, 'skills'>): string[] {
  return user.skills ? user.skills.split(',').filter(Boolean) : [];
}

@Injectable()
export class StaffService {
  private readonly logger = new Logger(StaffService.name);
  private readonly throttle = new LoginThrottle();

  constructor(
    @InjectRepository(StaffUser) private readonly users: Repository<StaffUser>,
    @InjectRepository(ApiToken) private readonly tokens: Repository<ApiToken>,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async create(input: CreateStaffInput): Promise<StaffUser> {
    const email = input.email.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new ValidationError('email', `"${input.email}" is not an email address`);
    if (!STAFF_ROLES.includes(input.role)) throw new ValidationError('role', `role must be one of ${STAFF_ROLES.join(', ')}`);
    if (!input.name.trim()) throw new ValidationError('name', 'name is required');
    if (input.password !== undefined && input.password.length < 12) throw new ValidationError('password', 'password must be at least 12 characters');
    const passwordHash = input.password === undefined ? null : await bcrypt.hash(input.password, BCRYPT_COST);
    return this.tx.run(async (em) => {
      const repo = em.getRepository(StaffUser);
      if (await repo.exists({ where: { email } })) throw new StaffExistsError(email);
      const user = repo.create({
        email, name: input.name.trim(), role: input.role, passwordHash, skills: (input.skills ?? []).join(','),
        active: true, createdAt: this.clock.now(),
      });
      return repo.save(user);
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
  async updateProfile(id: number, profile: ExpertProfileInput): Promise<StaffUser> {
    if (profile.capacity !== undefined && (!Number.isInteger(profile.capacity) || profile.capacity < 0 || profile.capacity > 1000)) {
      throw new ValidationError('capacity', '担当上限は 0〜1000 の整数で入力してください。');
    }
    return this.tx.run(async (em) => {
      const repo = em.getRepository(StaffUser);
      const user = await repo.findOne({ where: { id } });
      if (!user) throw new NotFoundError('staff user', id);
      if (profile.skills !== undefined) user.skills = [...new Set(profile.skills)].join(',');
      if (profile.capacity !== undefined) user.capacity = profile.capacity;
      if (profile.active !== undefined) user.active = profile.active;
      return repo.save(user);
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

  /** Checks a password sign-in; `clientKey` (the client's address) scopes the throttle. */
  async verifyPassword(email: string, password: string, clientKey: string): Promise<StaffUser> {
    const key = `${clientKey}|${email.trim().toLowerCase()}`;
    const now = this.clock.now().getTime();
    if (this.throttle.isBlocked(key, now)) throw new LoginThrottledError();
    const user = await this.findByEmail(email);
    const ok = await bcrypt.compare(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !user.passwordHash || !user.active || !ok) {
      this.throttle.recordFailure(key, now);
      throw new InvalidCredentialsError();
    }
    this.throttle.reset(key);
    return user;
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
    const generated = password === undefined ? newSecret().slice(0, 20) : undefined;
    await this.create({ email: adminEmail, name: '管理者', role: 'admin', password: password ?? generated });
    this.logger.log('initial admin account created');
    return { email: adminEmail, password: generated };
  }
}
