import { Injectable } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { generateSecret, generateURI, verifySync } from 'otplib';
import QRCode from 'qrcode';
import { IsNull } from 'typeorm';
import { AuditService } from '@kkd/audit';
import { AppConfig, Clock, TransactionRunner, ValidationError } from '@kkd/core';
import { RecoveryCode } from './entities/recovery-code.entity';
import { StaffUser } from './entities/staff-user.entity';
import { LoginFailureRepository } from './login-failure.repository';
import { LoginThrottledError } from './staff.exception';
import { LoginThrottle, throttleKey } from './utils/login-throttle';
import { sha256Hex } from './utils/secret-token.util';

const ISSUER = '駆け込み寺ヘルプデスク';
const RECOVERY_CODES = 10;
/** A code from the step before or after is accepted too (clocks drift). */
const TOLERANCE_SECONDS = 30;
/** What an authenticator app shows; otplib throws (TokenLengthError) on anything else. */
const TOTP_CODE = /^\d{6}$/;

/** As typed: full-width digits (１２３４５６) and spaces (`123 456`, as some apps show it) allowed. */
const normalizeCode = (input: string) => input.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

export interface Enrolment {
  secret: string;
  /** otpauth:// URI as an SVG QR code (a data: URL the page shows as an image). */
  qrDataUrl: string;
}

/** A sign-in's code step: passed, or a wrong code with the attempts left before the account is locked. */
export type SecondFactorOutcome = { ok: true } | { ok: false; attemptsLeft: number };

const staffTarget = (user: StaffUser) => ({ type: 'staff', id: user.id, label: user.email });

/**
 * Two-factor sign-in for staff with TOTP (RFC 6238, otplib): enrolment with a QR code, confirmed
 * by a first code; each code works once; ten one-time recovery codes for a lost phone. Whether
 * a role must use it is the setting TOTP_REQUIRED_ROLES.
 */
@Injectable()
export class TotpService {
  /** The password step's throttle (StaffService): a wrong code counts toward the same limit. */
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    loginFailures: LoginFailureRepository,
  ) {
    this.throttle = new LoginThrottle(loginFailures);
  }

  /** Whether this account must have a second factor before using the console. */
  required(user: StaffUser): boolean {
    return this.config.totpRequiredRoles.includes(user.role);
  }

  /**
   * The secret of an enrolment in progress, made on the first visit and kept (a wrong code or
   * another visit shows the same one, which the authenticator app already holds) until a code
   * confirms it; `renew` replaces it, when the person asks for a new QR code.
   */
  async startEnrolment(user: StaffUser, renew = false): Promise<Enrolment> {
    if (user.totpEnabledAt) throw new ValidationError('code', '二要素認証はすでに有効です。');
    const secret = await this.tx.run(async (em) => {
      const users = em.getRepository(StaffUser);
      const pending = renew ? null : (await this.secretOf(users, user.id)).secret;
      if (pending) return pending;
      const fresh = generateSecret();
      await users.update(user.id, { totpSecret: fresh, totpLastStep: null });
      return fresh;
    });
    const uri = generateURI({ issuer: ISSUER, label: user.email, secret });
    return { secret, qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(await QRCode.toString(uri, { type: 'svg', margin: 2 })).toString('base64')}` };
  }

  /** The first code confirms the enrolment; returns the recovery codes, shown once. */
  async confirmEnrolment(user: StaffUser, code: string): Promise<string[]> {
    code = normalizeCode(code);
    if (!TOTP_CODE.test(code)) throw new ValidationError('code', '確認コードは認証アプリに表示される6桁の数字で入力してください。');
    return this.tx.run(async (em) => {
      const stored = await this.secretOf(em.getRepository(StaffUser), user.id);
      if (!stored.secret || user.totpEnabledAt) throw new ValidationError('code', '登録をやり直してください。');
      const step = this.check(stored.secret, code, stored.lastStep);
      if (step === null) throw new ValidationError('code', '確認コードが正しくありません。認証アプリの6桁のコードを入力してください。');
      const now = this.clock.now();
      await em.getRepository(StaffUser).update(user.id, { totpEnabledAt: now, totpLastStep: step });
      const codes = Array.from({ length: RECOVERY_CODES }, () => randomBytes(5).toString('hex').replace(/(.{5})/, '$1-'));
      await em.getRepository(RecoveryCode).delete({ userId: user.id });
      await em.getRepository(RecoveryCode).insert(codes.map((c) => ({ userId: user.id, codeHash: sha256Hex(c), usedAt: null, createdAt: now })));
      await this.audit.record(em, { actor: user, action: 'staff.totp_enabled', target: { type: 'staff', id: user.id, label: user.email } });
      return codes;
    });
  }

  /**
   * A sign-in's second step: a current TOTP code (once), or an unused recovery code. Every wrong
   * code counts toward the password step's throttle for the account; a locked account is refused
   * here as at the password step, and so is the wrong code that locks it (LoginThrottledError).
   * A right code completes the sign-in: it is audited as the login and the failures are forgotten.
   */
  async verifySecondFactor(user: StaffUser, input: string, clientIp: string): Promise<SecondFactorOutcome> {
    const key = throttleKey(clientIp, user.email);
    const now = this.clock.now().getTime();
    if (await this.throttle.isBlocked(key, now)) return this.refuseLocked(user, key, now, clientIp);
    const attemptsLeft = await this.throttle.countCodeAttempt(key, now);
    if (attemptsLeft < 0) return this.refuseLocked(user, key, now, clientIp);
    const code = normalizeCode(input);
    const passed = await this.tx.run(async (em) => {
      const users = em.getRepository(StaffUser);
      const stored = await this.secretOf(users, user.id);
      const step = stored.secret ? this.check(stored.secret, code, stored.lastStep) : null;
      let by: 'totp' | 'recovery_code' | null = null;
      if (step !== null) {
        await users.update(user.id, { totpLastStep: step });
        by = 'totp';
      } else if (/^[0-9a-f]{5}-[0-9a-f]{5}$/.test(code)) {
        const recovery = await em.getRepository(RecoveryCode).findOne({ where: { userId: user.id, codeHash: sha256Hex(code), usedAt: IsNull() } });
        if (recovery) {
          await em.getRepository(RecoveryCode).update(recovery.id, { usedAt: this.clock.now() });
          await this.audit.record(em, { actor: user, action: 'staff.recovery_code_used', target: staffTarget(user), details: { ip: clientIp } });
          by = 'recovery_code';
        }
      }
      if (by) {
        await this.audit.record(em, { actor: user, action: 'staff.login', target: staffTarget(user), details: { ip: clientIp, secondFactor: by } });
        return true;
      }
      await this.audit.record(em, { actor: user, action: 'staff.second_factor_failed', target: staffTarget(user), details: { ip: clientIp, attemptsLeft } });
      return false;
    });
    // The last attempt allowed was wrong: refused as a locked account from now on.
    if (!passed && attemptsLeft === 0) throw new LoginThrottledError();
    if (!passed) return { ok: false, attemptsLeft };
    await this.throttle.signedIn(key);
    return { ok: true };
  }

  /** The first refusal of a locked account in a window is audited, as at the password step. */
  private async refuseLocked(user: StaffUser, key: string, now: number, clientIp: string): Promise<never> {
    if (await this.throttle.firstRefusal(key, now)) {
      await this.audit.record(null, { actor: null, action: 'staff.login_throttled', target: staffTarget(user), details: { ip: clientIp, step: 'second_factor' } });
    }
    throw new LoginThrottledError();
  }

  /** Unused recovery codes left. */
  remainingRecoveryCodes(user: StaffUser): Promise<number> {
    return this.tx.readManager.getRepository(RecoveryCode).count({ where: { userId: user.id, usedAt: IsNull() } });
  }

  private async secretOf(users: import('typeorm').Repository<StaffUser>, id: number): Promise<{ secret: string | null; lastStep: number | null }> {
    const row = await users.createQueryBuilder('u').select(['u.id', 'u.totpSecret', 'u.totpLastStep']).where('u.id = :id', { id }).getOne();
    return { secret: row?.totpSecret ?? null, lastStep: row?.totpLastStep === null || row?.totpLastStep === undefined ? null : Number(row.totpLastStep) };
  }

  /** The time step the code belongs to, or null (wrong, or a step already used). */
  private check(secret: string, code: string, lastStep: number | null): number | null {
    if (!TOTP_CODE.test(code)) return null;
    const result = verifySync({
      secret, token: code, epoch: Math.floor(this.clock.now().getTime() / 1000), epochTolerance: TOLERANCE_SECONDS,
      ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  }
}
