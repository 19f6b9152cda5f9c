import { INestApplicationContext } from '@nestjs/common';
import { execFile } from 'child_process';
import fs from 'fs';
import path from 'path';
import { DataSource } from 'typeorm';
import { AppConfig, ValidationError } from '@kkd/core';
import type { CliIo } from './commands';

/** The folders of DATA_DIR the database's rows point into. */
const DATA_FOLDERS = ['raw', 'attachments', 'outbox'];

/**
 * `backup <directory>`: a consistent copy while the server runs. The database first (SQLite:
 * VACUUM INTO, a snapshot of one transaction; PostgreSQL: pg_dump in the custom format), then the
 * files: a row is committed only after its file is written, so every file a row of the copy names
 * is in the copy too. Restoring is in the README.
 */
export async function backup(ctx: INestApplicationContext, args: string[], _options: Record<string, string | true>, io: CliIo): Promise<void> {
  if (args.length !== 1) throw new ValidationError('directory', 'usage: backup <directory>');
  const target = path.resolve(io.cwd, args[0]);
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) throw new ValidationError('directory', `${target} is not empty`);
  fs.mkdirSync(target, { recursive: true });
  const config = ctx.get(AppConfig);
  if (config.databaseKind === 'postgres') {
    await new Promise<void>((resolve, reject) => execFile('pg_dump', ['--format=custom', '--no-owner', `--file=${path.join(target, 'helpdesk.dump')}`, config.DATABASE_URL],
      (err, _out, stderr) => (err ? reject(new Error(`pg_dump failed: ${stderr.trim() || err.message}`)) : resolve())));
  } else {
    const file = path.join(target, 'helpdesk.sqlite');
    await ctx.get(DataSource).query(`VACUUM INTO '${file.replace(/'/g, "''")}'`);
  }
  const dataDir = path.resolve(config.DATA_DIR);
  for (const folder of DATA_FOLDERS) {
    const from = path.join(dataDir, folder);
    if (fs.existsSync(from)) await fs.promises.cp(from, path.join(target, 'data', folder), { recursive: true });
  }
  io.out(`backup written to ${target}`);
}
