import fs from 'fs/promises';
import path from 'path';
import { MailTransport } from './mail-transport';

/** Writes each mail as DATA_DIR/outbox/<id, 8 digits>.eml (to a temp name first, then renamed). */
export class FileTransport implements MailTransport {
  constructor(private readonly dir: string) {}

  async deliver(raw: Buffer, _envelope: { from: string; to: string[] }, id: number): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, `${String(id).padStart(8, '0')}.eml`);
    const tmp = `${file}.tmp`;
    await fs.writeFile(tmp, raw);
    await fs.rename(tmp, file);
  }
}
