import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditActor, AuditEntry, AuditService } from '@kkd/audit';
import { NotFoundError, TransactionRunner, ValidationError } from '@kkd/core';
import { assertAnotherActiveAdmin } from './admin-lockout';
import { RecoveryCode } from './entities/recovery-code.entity';
import { Session } from './entities/session.entity';
import { STAFF_ROLES, StaffRole, StaffUser } from './entities/staff-user.entity';
import { revokeTokens, StaffService, staffTarget } from './staff.service';
import { newOneTimePassword } from './utils/secret-token.util';

export interface StaffAccountSummary {
  user: StaffUser;
  /** The last password sign-in in the audit log, or null when none is recorded. */
  lastLoginAt: Date | null;
}

export interface NewStaffAccount {
  email: string;
  name: string;
  role: StaffRole;
}

const REASON_MAX = 500;

/** Changes that go to the audit log carry why they were made. */
function requiredReason(reason: string): string {
  const trimmed = reason.trim();
  if (!trimmed) throw new ValidationError('reason', '理由を入力してください。');
  if (trimmed.length > REASON_MAX) throw new ValidationError('reason', `理由は${REASON_MAX}文字以内で入力してください。`);
  return trimmed;
}

/**
 * The admins' staff-account management: every account with its sign-in facts, creation with a
 * one-time password, role changes, disabling (which ends the account's sessions and revokes its
 * API tokens) and resetting a lost second factor. An admin never changes their own account here
 * and never removes the last active admin; each change is audited with its reason in the same
 * transaction.
 */
@Injectable()
export class StaffAccountsService {
  constructor(
    private readonly staff: StaffService,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  async overview(): Promise<StaffAccountSummary[]> {
    const [users, logins] = await Promise.all([this.staff.list(), this.lastLogins()]);
    return users.map((user) => ({ user, lastLoginAt: logins.get(user.id) ?? null }));
  }

  async find(id: number): Promise<StaffAccountSummary> {
    const user = await this.staff.findById(id);
    if (!user) throw new NotFoundError('staff user', id);
    return { user, lastLoginAt: (await this.lastLogins(id)).get(id) ?? null };
  }

  /**
   * A new account with a generated password that passes the rules, returned once (only its hash
   * is kept); the person replaces it with their own at the first sign-in.
   */
  async create(input: NewStaffAccount, actor: AuditActor): Promise<{ user: StaffUser; password: string }> {
    const password = newOneTimePassword(input.email.trim().toLowerCase());
    const user = await this.staff.create({ ...input, password, mustChangePassword: true }, actor, { via: 'console' });
    return { user, password };
  }

  async changeRole(id: number, role: StaffRole, actor: AuditActor, reason: string): Promise<StaffUser> {
    if (!STAFF_ROLES.includes(role)) throw new ValidationError('role', '役割の指定が正しくありません。');
    const why = requiredReason(reason);
    return this.change(id, actor, 'role', async (em, user) => {
      if (user.role === role) throw new ValidationError('role', '役割が変わっていません。');
      if (user.role === 'admin' && user.active) await assertAnotherActiveAdmin(em, id, 'role');
      const from = user.role;
      await em.getRepository(StaffUser).update(id, { role });
      await this.audit.record(em, { actor, action: 'staff.role_changed', target: staffTarget(user), details: { from, to: role, reason: why } });
      return { ...user, role };
    });
  }

  /**
   * Disabling ends every session of the account at once and revokes its API tokens (enabling it
   * again does not bring them back: a new token is issued with tokens:create).
   */
  async setActive(id: number, active: boolean, actor: AuditActor, reason: string): Promise<StaffUser> {
    const why = requiredReason(reason);
    return this.change(id, actor, 'active', async (em, user) => {
      if (user.active === active) throw new ValidationError('active', active ? 'すでに有効です。' : 'すでに無効です。');
      if (!active && user.role === 'admin') await assertAnotherActiveAdmin(em, id, 'active');
      await em.getRepository(StaffUser).update(id, { active });
      const details: Record<string, unknown> = { reason: why };
      if (!active) {
        details.sessionsEnded = await this.endSessions(em, id);
        details.tokensRevoked = await revokeTokens(em, id);
      }
      await this.audit.record(em, { actor, action: active ? 'staff.reactivated' : 'staff.deactivated', target: staffTarget(user), details });
      return { ...user, active };
    });
  }

  /**
   * Forgets the TOTP secret and the recovery codes and ends the account's sessions: at the next
   * sign-in the password alone opens the enrolment page (the guard sends a role that must use a
   * second factor there before anything else).
   */
  async resetSecondFactor(id: number, actor: AuditActor, reason: string): Promise<StaffUser> {
    const why = requiredReason(reason);
    return this.change(id, actor, 'secondFactor', async (em, user) => {
      if (!user.totpEnabledAt) throw new ValidationError('secondFactor', '二要素認証は設定されていません。');
      await em.getRepository(StaffUser).update(id, { totpSecret: null, totpEnabledAt: null, totpLastStep: null });
      await em.getRepository(RecoveryCode).delete({ userId: id });
      const sessionsEnded = await this.endSessions(em, id);
      await this.audit.record(em, { actor, action: 'staff.second_factor_reset', target: staffTarget(user), details: { reason: why, sessionsEnded } });
      return { ...user, totpEnabledAt: null };
    });
  }

  /** One change of another person's account, read afresh inside the transaction. */
  private change(id: number, actor: AuditActor, field: string, work: (em: EntityManager, user: StaffUser) => Promise<StaffUser>): Promise<StaffUser> {
    if (actor.id === id) throw new ValidationError(field, 'ご自身のアカウントはここでは変更できません。別の管理者に依頼してください。');
    return this.tx.run(async (em) => {
      const user = await em.getRepository(StaffUser).findOne({ where: { id } });
      if (!user) throw new NotFoundError('staff user', id);
      return work(em, user);
    });
  }

  private async endSessions(em: EntityManager, userId: number): Promise<number> {
    const sessions = em.getRepository(Session);
    const count = await sessions.count({ where: { userId } });
    if (count) await sessions.delete({ userId });
    return count;
  }

  /** The newest `staff.login` per account (of one account when `id` is given). */
  private async lastLogins(id?: number): Promise<Map<number, Date>> {
    const qb = this.tx.readManager.getRepository(AuditEntry).createQueryBuilder('a')
      .select('a.actor_id', 'actorId').addSelect('MAX(a.at)', 'at')
      .where('a.action = :action', { action: 'staff.login' }).andWhere('a.actor_id IS NOT NULL');
    if (id !== undefined) qb.andWhere('a.actor_id = :id', { id });
    const rows = await qb.groupBy('a.actor_id').getRawMany<{ actorId: number | string; at: number | string }>();
    return new Map(rows.map((r) => [Number(r.actorId), new Date(Number(r.at))]));
  }
}
