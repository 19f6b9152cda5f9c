import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'crypto';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import { AppConfig, Clock, TransactionRunner } from '@kkd/core';
import { Consult } from '@kkd/consults';
import { OutboxService } from '@kkd/mail';
import { Member, MemberRepository, memberDisplayName } from '@kkd/membership';
import { MemberLoginToken } from './entities/member-login-token.entity';
import { MemberSession } from './entities/member-session.entity';

/** A link is good for 15 minutes, once. */
const LINK_TTL_MS = 15 * 60_000;
/** Links mailed to one member within LINK_TTL_MS at most: no mail bombing through the form. */
const MAX_LINKS = 3;
const SESSION_TTL_MS = 12 * 3600_000;

const secret = () => randomBytes(32).toString('base64url');
const hash = (value: string) => createHash('sha256').update(value).digest('hex');

export interface MemberViewer {
  memberId: number;
  displayName: string;
  csrfToken: string;
}

/**
 * Members sign in to the FAQ without a password: a one-time link (short-lived, single use) is
 * mailed to an address registered for an active contract. The form answers the same whether or
 * not the address is known, so it tells no one who is a member.
 */
@Injectable()
export class MemberSignInService {
  private readonly logger = new Logger(MemberSignInService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly members: MemberRepository,
    private readonly outbox: OutboxService,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Mails a sign-in link when the address belongs to an active member; silent otherwise. */
  async requestLink(address: string): Promise<void> {
    const normal = address.trim().toLowerCase();
    const member = await this.members.findByAddress(normal);
    if (!member || member.status !== 'active') return;
    const now = this.clock.now();
    await this.tx.run(async (em) => {
      const recent = await em.getRepository(MemberLoginToken).countBy({ memberId: member.id, createdAt: MoreThan(new Date(now.getTime() - LINK_TTL_MS)) });
      if (recent >= MAX_LINKS) return;
      const token = secret();
      await em.getRepository(MemberLoginToken).insert({
        memberId: member.id, tokenHash: hash(token), address: normal, expiresAt: new Date(now.getTime() + LINK_TTL_MS), usedAt: null, createdAt: now,
      });
      await this.outbox.enqueue(em, {
        consultId: null, kind: 'notice', to: normal, subject: '【駆け込み寺】FAQ ログイン用リンク',
        bodyText: loginMail(memberDisplayName(member), `${this.config.consoleUrl}/help/login/${token}`),
      });
    });
    this.logger.log(`sign-in link mailed to ${member.clubId}`);
  }

  /** Uses a link: a session secret for the cookie, or null when the link is unknown, used or expired. */
  async redeem(token: string): Promise<string | null> {
    const now = this.clock.now();
    return this.tx.run(async (em) => {
      const row = await em.getRepository(MemberLoginToken).findOneBy({ tokenHash: hash(token), usedAt: IsNull() });
      if (!row || row.expiresAt.getTime() <= now.getTime()) return null;
      // Single use, also when two requests race: only the one that flips used_at goes on.
      const { affected } = await em.getRepository(MemberLoginToken).update({ id: row.id, usedAt: IsNull() }, { usedAt: now });
      if (!affected) return null;
      const member = await em.getRepository(Member).findOneBy({ id: row.memberId });
      if (!member || member.status !== 'active') return null;
      const session = secret();
      await em.getRepository(MemberSession).insert({
        memberId: member.id, tokenHash: hash(session), csrfToken: secret(), expiresAt: new Date(now.getTime() + SESSION_TTL_MS), createdAt: now,
      });
      return session;
    });
  }

  /** The signed-in member of a cookie, while the session lasts and the contract is active. */
  async viewer(sessionSecret: string | undefined): Promise<MemberViewer | null> {
    if (!sessionSecret) return null;
    const session = await this.dataSource.getRepository(MemberSession).findOneBy({ tokenHash: hash(sessionSecret) });
    if (!session || session.expiresAt.getTime() <= this.clock.now().getTime()) return null;
    const member = await this.members.findById(session.memberId);
    if (!member || member.status !== 'active') return null;
    return { memberId: member.id, displayName: memberDisplayName(member), csrfToken: session.csrfToken };
  }

  async end(sessionSecret: string | undefined): Promise<void> {
    if (!sessionSecret) return;
    await this.tx.run((em) => em.getRepository(MemberSession).delete({ tokenHash: hash(sessionSecret) }));
  }

  /** The member's own consults (number, subject, state), newest first; never anyone else's. */
  async ownConsults(memberId: number): Promise<Pick<Consult, 'number' | 'subject' | 'status' | 'receivedAt'>[]> {
    const rows = await this.dataSource.getRepository(Consult).find({
      select: { number: true, subject: true, status: true, receivedAt: true }, where: { memberId, mergedIntoId: IsNull() }, order: { receivedAt: 'DESC' }, take: 100,
    });
    return rows;
  }
}

function loginMail(displayName: string, link: string): string {
  return [
    `${displayName} 様`, '',
    '駆け込み寺 FAQ へのログイン用リンクをお送りします。',
    '次のリンクを開き、「ログイン」を押してください（15分間、1回だけ有効です）。', '',
    link, '',
    'お心当たりがない場合は、このメールを破棄してください。リンクを他の方に転送しないでください。', '',
    '--', 'CSIRT倶楽部 駆け込み寺 事務局',
  ].join('\r\n');
}
