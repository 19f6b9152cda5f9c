import { Request } from 'express';
import { StaffUser } from '@kkd/staff';

export const SESSION_COOKIE = 'kkd_session';
export const LOGIN_CSRF_COOKIE = 'kkd_login_csrf';

/** What the guards attach to a request. */
export interface AuthedRequest extends Request {
  user?: StaffUser;
  csrfToken?: string;
  requestId?: string;
  /** A console session's second factor: code still to give, enrolment still to do, or done. */
  secondFactor?: 'awaiting' | 'enrol' | 'done';
}

export const isApiRequest = (req: Request) => req.path.startsWith('/api/') || req.path === '/api';
