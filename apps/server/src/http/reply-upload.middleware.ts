import { Injectable, NestMiddleware } from '@nestjs/common';
import { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppConfig } from '@kkd/core';
import { MAX_REPLY_ATTACHMENTS } from '@kkd/mail';
import { SESSION_COOKIE } from './request-context';

/** What multer leaves on the request (no @types/multer in this tree: only the fields used). */
export interface UploadedFile {
  originalname: string;
  buffer: Buffer;
  size: number;
}
export type ReplyUploadRequest = Request & { files?: UploadedFile[]; replyUploadError?: 'too_large' | 'too_many' | 'malformed' };

interface MulterError extends Error {
  code: string;
}
type Multer = ((opts: object) => { array(field: string, max: number): RequestHandler }) & {
  memoryStorage(): unknown;
  MulterError: new (...args: never[]) => MulterError;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const multer = require('multer') as Multer;

/**
 * Parses the reply form when it is sent as multipart/form-data (it carries files), so that its
 * fields, `_csrf` included, are in `req.body` when the AccessGuard checks the CSRF token: Nest
 * runs middleware before guards, while an interceptor (FilesInterceptor) would run after them.
 *
 * Files are kept in memory, bounded: a single file larger than the reply limit, or more files than
 * allowed, stops the upload and is recorded on the request, so that the controller shows the form
 * again with the text typed so far (the form puts the file input after the text fields). Nothing is
 * parsed without a session cookie: a stranger's upload is not buffered just to be refused.
 */
@Injectable()
export class ReplyUploadMiddleware implements NestMiddleware {
  private readonly upload: RequestHandler;

  constructor(config: AppConfig) {
    this.upload = multer({
      storage: multer.memoryStorage(),
      // Browsers send a file name as raw UTF-8 in the part header (not RFC 2231): read it as such.
      defParamCharset: 'utf8',
      limits: { fileSize: config.REPLY_ATTACHMENT_MAX_BYTES, files: MAX_REPLY_ATTACHMENTS, fields: 50, fieldSize: 1024 * 1024, parts: 100 },
    }).array('files', MAX_REPLY_ATTACHMENTS);
  }

  use(req: ReplyUploadRequest, res: Response, next: NextFunction): void {
    if (!req.is('multipart/form-data') || !req.cookies?.[SESSION_COOKIE]) return next();
    this.upload(req, res, (err?: unknown) => {
      if (err) {
        // Limits and malformed bodies alike: the controller answers 400 (after the guard's CSRF check).
        const code = err instanceof multer.MulterError ? err.code : '';
        req.body ??= {};
        req.files = [];
        req.replyUploadError = code === 'LIMIT_FILE_SIZE' ? 'too_large' : code === 'LIMIT_FILE_COUNT' || code === 'LIMIT_UNEXPECTED_FILE' ? 'too_many' : 'malformed';
      }
      next();
    });
  }
}
