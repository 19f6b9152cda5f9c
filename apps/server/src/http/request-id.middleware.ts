import { randomUUID } from 'crypto';
import { NextFunction, Response } from 'express';
import { AuthedRequest } from './request-context';

/** A correlation id per request, echoed in X-Request-Id and used in error logs. */
export function requestId(req: AuthedRequest, res: Response, next: NextFunction): void {
  const incoming = req.headers['x-request-id'];
  req.requestId = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', req.requestId);
  next();
}
