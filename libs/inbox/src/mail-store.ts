import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import path from 'path';
import { DataFiles } from '@kkd/core';

/** Raw mail and attachments on disk under DATA_DIR; the database keeps paths relative to it. */
@Injectable()
export class MailStore {
  constructor(private readonly files: DataFiles) {}

  /** Writes the raw source durably (fsync) before anything is acknowledged. */
  async saveRaw(raw: Buffer, receivedAt: Date): Promise<string> {
    const day = receivedAt.toISOString().slice(0, 10).replace(/-/g, '/');
    const relative = path.join('raw', day, `${randomUUID()}.eml`);
    await this.files.writeDurably(relative, raw);
    return relative;
  }

  /** Stores a file content-addressed (the same bytes are kept once). */
  saveAttachment(content: Buffer): Promise<{ sha256: string; storagePath: string }> {
    return this.files.saveContent(content);
  }

  read(relative: string): Promise<Buffer> {
    return this.files.read(relative);
  }

  /** Resolves a stored path, refusing anything that would leave DATA_DIR. */
  absolute(relative: string): string {
    return this.files.absolute(relative);
  }
}
