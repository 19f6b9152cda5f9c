import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'crypto';
import fs from 'fs/promises';
import path from 'path';
import { AppConfig } from '@kkd/core';

/**
 * Files going out with replies, stored content-addressed under DATA_DIR/attachments in the same
 * layout as the intake's MailStore (so a file a member sent and an expert sends back is kept once).
 * It lives here rather than importing @kkd/inbox because inbox depends on mail, not the reverse.
 */
@Injectable()
export class OutboundFileStore {
  private readonly root: string;

  constructor(config: AppConfig) {
    this.root = path.resolve(config.DATA_DIR);
  }

  /** Stores the bytes durably (fsync, then rename) unless the same content is already there. */
  async save(content: Buffer): Promise<{ sha256: string; storagePath: string }> {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const relative = path.join('attachments', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
    const full = this.absolute(relative);
    const exists = await fs.stat(full).then((s) => s.size === content.length, () => false);
    if (!exists) {
      await fs.mkdir(path.dirname(full), { recursive: true });
      const tmp = `${full}.${randomUUID()}.tmp`;
      const handle = await fs.open(tmp, 'w');
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(tmp, full);
    }
    return { sha256, storagePath: relative };
  }

  read(relative: string): Promise<Buffer> {
    return fs.readFile(this.absolute(relative));
  }

  private absolute(relative: string): string {
    const full = path.resolve(this.root, relative);
    if (!full.startsWith(this.root + path.sep)) throw new Error(`path outside DATA_DIR: ${relative}`);
    return full;
  }
}
