import { Injectable } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { generateSecret, generateURI, verifySync } from 'otplib';
import QRCode from 'qrcode';
import { IsNull } from 'typeorm';
import { AuditService } from '@kkd/audit';
import { AppConfig, Clock, TransactionRunner, ValidationError } from '@kkd/core';
import { RecoveryCode } from './entities/recovery-code.entity';
import { StaffUser } from './entities/staff-user.entity';
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

/**
 * Two-factor sign-in for staff with TOTP (RFC 6238, otplib): enrolment with a QR code, confirmed
 * by a first code; each code works once; ten one-time recovery codes for a lost phone. Whether
 * a role must use it is the setting TOTP_REQUIRED_ROLES.
 */
@Injectable()
export class TotpService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /** Whether this account must have a second factor before using the console. */
  required(user: StaffUser): boolean {
    return this.config.totpRequiredRoles.includes(user.role);
  }

  /** A new secret for an account not yet enrolled (kept until confirmed; a new visit replaces it). */
  async startEnrolment(user: StaffUser): Promise<Enrolment> {
    if (user.totpEnabledAt) throw new ValidationError('code', '二要素認証はすでに有効です。');
    const secret = generateSecret();
    await this.tx.run((em) => em.getRepository(StaffUser).update(user.id, { totpSecret: secret }));
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

  /** A sign-in's second step: a current TOTP code (once), or an unused recovery code. */
  async verifySecondFactor(user: StaffUser, input: string, clientIp: string): Promise<boolean> {
    const code = normalizeCode(input);
    return this.tx.run(async (em) => {
      const users = em.getRepository(StaffUser);
      const stored = await this.secretOf(users, user.id);
      const step = stored.secret ? this.check(stored.secret, code, stored.lastStep) : null;
      if (step !== null) {
        await users.update(user.id, { totpLastStep: step });
        return true;
      }
      const recovery = /^[0-9a-f]{5}-[0-9a-f]{5}$/.test(code)
        ? await em.getRepository(RecoveryCode).findOne({ where: { userId: user.id, codeHash: sha256Hex(code), usedAt: IsNull() } })
        : null;
      if (recovery) {
        await em.getRepository(RecoveryCode).update(recovery.id, { usedAt: this.clock.now() });
        await this.audit.record(em, { actor: user, action: 'staff.recovery_code_used', target: { type: 'staff', id: user.id, label: user.email }, details: { ip: clientIp } });
        return true;
      }
      await this.audit.record(em, { actor: user, action: 'staff.second_factor_failed', target: { type: 'staff', id: user.id, label: user.email }, details: { ip: clientIp } });
      return false;
    });
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
