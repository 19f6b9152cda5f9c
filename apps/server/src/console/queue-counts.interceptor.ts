import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Response } from 'express';
import { from, Observable, switchMap } from 'rxjs';
import { ConsultRepository } from '@kkd/consults';
import { AuthedRequest, isApiRequest } from '../http/request-context';

/**
 * Console pages for signed-in staff carry the queue views' counts in their navigation (mine,
 * unassigned, at risk, breached, all); runs after the guard has found the user.
 */
@Injectable()
export class QueueCountsInterceptor implements NestInterceptor {
  constructor(private readonly consults: ConsultRepository) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    // Also for forms: a refused one is shown again with the navigation (and nothing changed yet).
    if (!req.user || (req.method !== 'GET' && req.method !== 'POST') || isApiRequest(req)) return next.handle();
    const res = context.switchToHttp().getResponse<Response>();
    return from(this.consults.queueCounts(req.user.id)).pipe(switchMap((counts) => {
      res.locals.queueCounts = counts;
      return next.handle();
    }));
  }
}
