import fs from 'fs/promises';
import path from 'path';
import { MailTransport } from './mail-transport';

/** Writes each mail as DATA_DIR/outbox/<id, 8 digits>.eml (to a temp name first, then renamed). */
export class FileTransport implements MailTransport {
  readonly concurrency = 4;
  /** Whether the folder was made; a failed write makes it again (it may have been removed). */
  private dirMade = false;

  constructor(private readonly dir: string) {}

  async deliver(raw: Buffer, _envelope: { from: string; to: string[] }, id: number): Promise<void> {
    if (!this.dirMade) {
      await fs.mkdir(this.dir, { recursive: true });
      this.dirMade = true;
    }
    const file = path.join(this.dir, `${String(id).padStart(8, '0')}.eml`);
    const tmp = `${file}.tmp`;
    try {
      await fs.writeFile(tmp, raw);
      await fs.rename(tmp, file);
    } catch (err) {
      this.dirMade = false;
      throw err;
    }
  }

  async close(): Promise<void> {}
}
