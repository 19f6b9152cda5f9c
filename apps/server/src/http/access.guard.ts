import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { safeEqual, SessionService, StaffRole, StaffService, TotpService } from '@kkd/staff';
import { ACCESS_KEY, AccessLevel } from './access.decorator';
import { AuthedRequest, isApiRequest, SESSION_COOKIE } from './request-context';

const RANK: Record<StaffRole, number> = { expert: 1, manager: 2, admin: 3 };

export class LoginRequiredError extends UnauthorizedException {}
/** Signed in with the password, but the second factor (code or enrolment) comes first: `page` is where. */
export class SecondFactorRequiredError extends UnauthorizedException {
  constructor(readonly page: '/login/totp' | '/account/totp') {
    super('second factor required');
  }
}
/** What a session may reach before its second factor is settled. */
const SECOND_FACTOR_PAGES = { awaiting: ['/login/totp', '/logout'], enrol: ['/account/totp', '/logout'] } as const;
export class CsrfError extends ForbiddenException {
  constructor() {
    super('CSRF token missing or invalid');
  }
}

/**
 * One guard for every route: API routes authenticate by bearer token, console routes by the
 * session cookie plus a CSRF token on every state-changing request.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly staff: StaffService,
    private readonly sessions: SessionService,
    private readonly totp: TotpService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const level = this.reflector.getAllAndOverride<AccessLevel | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    if (!level) throw new ForbiddenException('route has no access rule'); // explicit role on every route
    const req = context.switchToHttp().getRequest<AuthedRequest>();

    if (isApiRequest(req)) {
      const header = req.headers.authorization ?? '';
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      req.user = (token && (await this.staff.authenticateToken(token))) || undefined;
    } else {
      const session = await this.sessions.find(req.cookies?.[SESSION_COOKIE]);
      if (session) {
        req.user = session.user;
        req.csrfToken = session.csrfToken;
        req.secondFactor = session.awaitingSecondFactor ? 'awaiting' : this.totp.required(session.user) && !session.user.totpEnabledAt ? 'enrol' : 'done';
        if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
          const sent = typeof req.body?._csrf === 'string' ? req.body._csrf : String(req.headers['x-csrf-token'] ?? '');
          if (!safeEqual(sent, session.csrfToken)) throw new CsrfError();
        }
      }
    }

    if (level === 'public') return true;
    if (!req.user) throw new LoginRequiredError(isApiRequest(req) ? 'a valid bearer token is required' : 'login required');
    if (req.secondFactor === 'awaiting' || req.secondFactor === 'enrol') {
      const pages: readonly string[] = SECOND_FACTOR_PAGES[req.secondFactor];
      if (!pages.includes(req.path)) throw new SecondFactorRequiredError(pages[0] as '/login/totp' | '/account/totp');
    }
    if (RANK[req.user.role] < RANK[level]) throw new ForbiddenException(`this needs the ${level} role or higher`);
    return true;
  }
}
