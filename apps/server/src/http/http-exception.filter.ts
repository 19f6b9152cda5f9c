import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Response } from 'express';
import { DomainError, isDatabaseUnavailable } from '@kkd/core';
import { MemberImportError } from '@kkd/membership';
import { CsrfError, LoginRequiredError, SignInStepRequiredError } from './access.guard';
import { AuthedRequest, isApiRequest } from './request-context';

/** How long a client is told to wait when the database is unreachable (an outage, a restart, a lock held elsewhere). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 30;

/** Maps domain error codes to HTTP statuses once, for the API (JSON) and the console (pages). */
function statusForCode(code: string): number {
  switch (code) {
    case 'not_found': return HttpStatus.NOT_FOUND;
    case 'validation':
    case 'consult.bad_transition':
    case 'members.import_invalid': return HttpStatus.BAD_REQUEST;
    case 'auth.invalid_credentials': return HttpStatus.UNAUTHORIZED;
    case 'auth.throttled': return HttpStatus.TOO_MANY_REQUESTS;
    case 'staff.exists':
    case 'assignment.taken':
    case 'consult.reply_conflict':
    case 'usage.month_closed':
    case 'usage.refused':
    case 'faq.refused': return HttpStatus.CONFLICT;
    case 'assignment.forbidden':
    case 'faq.forbidden': return HttpStatus.FORBIDDEN;
    default: return HttpStatus.INTERNAL_SERVER_ERROR;
  }
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<AuthedRequest>();
    const res = ctx.getResponse<Response>();
    let status = HttpStatus.INTERNAL_SERVER_ERROR;
    let message = 'internal error';
    let code = 'internal';
    let field: string | undefined;

    if (exception instanceof DomainError) {
      status = statusForCode(exception.code);
      code = exception.code;
      message = exception.message;
      field = exception.details.field as string | undefined;
      if (exception instanceof MemberImportError) field = exception.problems[0]?.column;
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse() as string | { message?: string | string[]; field?: string };
      message = typeof body === 'string' ? body : Array.isArray(body.message) ? body.message.join('; ') : body.message ?? exception.message;
      field = typeof body === 'string' ? undefined : body.field;
      code = status === 400 ? 'validation' : `http_${status}`;
    } else if (isDatabaseUnavailable(exception)) {
      // Not a fault of this request: the client may try again shortly (as SMTP senders do after 451).
      status = HttpStatus.SERVICE_UNAVAILABLE;
      code = 'unavailable';
      message = 'the database is unreachable for now; try again later';
      res.setHeader('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
      this.logger.warn(`${req.method} ${req.path} [${req.requestId}]: 503, database unreachable: ${exception instanceof Error ? exception.message : String(exception)}`);
    }
    // No internals leak on 500: the detail goes to the log with the request id.
    if (status >= 500 && code !== 'unavailable') {
      this.logger.error(`${req.method} ${req.path} [${req.requestId}]: ${exception instanceof Error ? exception.stack : String(exception)}`);
      message = 'internal error';
    }

    if (isApiRequest(req) || req.path === '/healthz') {
      res.status(status).json({ statusCode: status, error: code, message, ...(field ? { field } : {}) });
      return;
    }
    if (exception instanceof SignInStepRequiredError) {
      res.redirect(303, exception.page);
      return;
    }
    if (exception instanceof LoginRequiredError) {
      res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    if (code === 'unavailable') {
      res.status(status).render('unavailable', { title: '一時的に利用できません', retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS, user: req.user });
      return;
    }
    res.status(status).render('error', { title: 'エラー', status, message: consoleMessage(exception, status, message), user: req.user });
  }
}

/** The console's words for an error page; a stale form is no lack of permission. */
function consoleMessage(exception: unknown, status: number, message: string): string {
  if (exception instanceof CsrfError) return 'フォームの有効期限が切れました（ページを開いたままの間にログインし直した場合など）。元のページを開き直してから、もう一度お試しください。';
  if (status === 403) return 'この操作を行う権限がありません。';
  if (status === 404) return 'ページが見つかりません。';
  return message;
}
