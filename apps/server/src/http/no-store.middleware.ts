import { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Console pages and API answers carry members' details (address, phone, mail): browsers must not
 * keep them, or Back after signing out shows them from the cache. Files under `staticPrefix`
 * (CSS, scripts, images) hold none and keep their own caching. No Pragma: only HTTP/1.0 caches
 * read it, and RFC 9111 deprecates it.
 */
export function noStore(staticPrefix: string): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!req.path.startsWith(staticPrefix)) res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
