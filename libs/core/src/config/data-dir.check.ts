import fs from 'fs';
import { ConfigError } from '../core.exception';

/**
 * At start: DATA_DIR is a directory that exists or can be made, and this process can write in it.
 * Not part of loadConfig, which stays free of I/O; a failure reads like any other bad setting.
 */
export function ensureDataDir(dir: string): void {
  const refuse = (why: string) => new ConfigError('DATA_DIR', `DATA_DIR=${JSON.stringify(dir)} must be a writable directory (${why})`);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw refuse('it is a file');
    if (code === 'ENOTDIR') throw refuse('a part of the path is a file');
    throw refuse(`it cannot be created: ${code ?? (err as Error).message}`);
  }
  // mkdir with `recursive` passes over an existing file on some platforms: check what is there.
  if (!fs.statSync(dir).isDirectory()) throw refuse('it is a file');
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch {
    throw refuse('it is not writable');
  }
}
