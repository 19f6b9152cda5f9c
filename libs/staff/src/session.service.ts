import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditService } from '@kkd/audit';
import { AppConfig, Clock, TransactionRunner } from '@kkd/core';
import { Session } from './entities/session.entity';
import { StaffUser } from './entities/staff-user.entity';
import { newSecret, sha256Hex } from './utils/secret-token.util';

export interface ActiveSession {
  user: StaffUser;
  csrfToken: string;
  /** Password checked, TOTP code not yet. */
  awaitingSecondFactor: boolean;
}

/** Console sessions stored in the database; the cookie carries a random secret. */
@Injectable()
export class SessionService {
  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /** Starts a session and returns the cookie value; `awaitingSecondFactor` until the TOTP step. */
  async start(user: StaffUser, awaitingSecondFactor = false): Promise<string> {
    const secret = newSecret();
    const now = this.clock.now();
    await this.tx.run(async (em) => {
      // Epoch ms, as the column stores it: delete() does not apply the column's transformer.
      await em.createQueryBuilder().delete().from(Session).where('expires_at < :now', { now: now.getTime() }).execute();
      await em.getRepository(Session).insert({
        id: sha256Hex(secret), userId: user.id, csrfToken: newSecret(), createdAt: now, awaitingSecondFactor,
        expiresAt: new Date(now.getTime() + this.config.SESSION_TTL_HOURS * 3600_000),
      });
    });
    return secret;
  }

  async find(secret: string | undefined): Promise<ActiveSession | null> {
    if (!secret) return null;
    const session = await this.sessions.findOne({ where: { id: sha256Hex(secret) }, relations: { user: true } });
    if (!session || session.expiresAt <= this.clock.now() || !session.user.active) return null;
    return { user: session.user, csrfToken: session.csrfToken, awaitingSecondFactor: session.awaitingSecondFactor };
  }

  /** The second factor was given: the session opens the console. */
  async completeSecondFactor(secret: string): Promise<void> {
    await this.tx.run((em) => em.getRepository(Session).update({ id: sha256Hex(secret) }, { awaitingSecondFactor: false }));
  }

  /** Ends the session; the sign-out is written to the audit log (with the client's address when given). */
  async end(secret: string | undefined, clientIp?: string): Promise<void> {
    if (!secret) return;
    await this.tx.run(async (em) => {
      const repo = em.getRepository(Session);
      const session = await repo.findOne({ where: { id: sha256Hex(secret) }, relations: { user: true } });
      if (!session) return;
      await repo.delete({ id: session.id });
      await this.audit.record(em, {
        actor: session.user, action: 'staff.logout', target: { type: 'staff', id: session.user.id, label: session.user.email },
        details: clientIp ? { ip: clientIp } : undefined,
      });
    });
  }
}
