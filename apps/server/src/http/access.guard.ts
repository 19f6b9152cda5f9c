import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { safeEqual, SessionService, StaffRole, StaffService, TotpService } from '@kkd/staff';
import { ACCESS_KEY, AccessLevel } from './access.decorator';
import { AuthedRequest, isApiRequest, SESSION_COOKIE } from './request-context';

const RANK: Record<StaffRole, number> = { expert: 1, manager: 2, admin: 3 };

export class LoginRequiredError extends UnauthorizedException {}
/** Signed in, but a step of the sign-in must be done before anything else: `page` is where (the console redirects there). */
export class SignInStepRequiredError extends UnauthorizedException {
  constructor(readonly page: string, message: string) {
    super(message);
  }
}
/** Signed in with the password, but the second factor (code or enrolment) comes first. */
export class SecondFactorRequiredError extends SignInStepRequiredError {
  constructor(page: '/login/totp' | '/account/totp') {
    super(page, 'second factor required');
  }
}
/** Signed in with a password the product generated: the person chooses their own first. */
export class PasswordChangeRequiredError extends SignInStepRequiredError {
  constructor() {
    super('/account/password', 'password change required');
  }
}
/** What a session may reach before its second factor is settled. */
const SECOND_FACTOR_PAGES = { awaiting: ['/login/totp', '/logout'], enrol: ['/account/totp', '/logout'] } as const;
/** What a console session with a generated password may reach before it is replaced. */
const PASSWORD_CHANGE_PAGES = ['/account/password', '/logout'] as const;
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
    // In order: the code of an enrolled second factor (still signing in), then a generated
    // password replaced, then the enrolment of a second factor the role must have. API tokens
    // skip all three.
    if (req.secondFactor === 'awaiting') {
      if (!(SECOND_FACTOR_PAGES.awaiting as readonly string[]).includes(req.path)) throw new SecondFactorRequiredError('/login/totp');
    } else if (!isApiRequest(req) && req.user.mustChangePassword) {
      if (!(PASSWORD_CHANGE_PAGES as readonly string[]).includes(req.path)) throw new PasswordChangeRequiredError();
    } else if (req.secondFactor === 'enrol') {
      if (!(SECOND_FACTOR_PAGES.enrol as readonly string[]).includes(req.path)) throw new SecondFactorRequiredError('/account/totp');
    }
    if (RANK[req.user.role] < RANK[level]) throw new ForbiddenException(`this needs the ${level} role or higher`);
    return true;
  }
}
