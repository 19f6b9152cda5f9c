import fs from 'fs';
import os from 'os';
import path from 'path';
import { ConfigError } from '../core.exception';
import { ensureDataDir } from './data-dir.check';

describe('ensureDataDir (at start)', () => {
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kkd-data-dir-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const refusal = (dir: string): ConfigError => {
    try {
      ensureDataDir(dir);
    } catch (err) {
      return err as ConfigError;
    }
    throw new Error(`${dir} was accepted`);
  };

  it('takes an existing directory and makes a missing one', () => {
    ensureDataDir(tmp);
    const nested = path.join(tmp, 'a', 'b');
    ensureDataDir(nested);
    expect(fs.statSync(nested).isDirectory()).toBe(true);
  });

  it.each([
    ['a file', 'README.md', 'it is a file'],
    ['a path under a file', 'README.md/data', 'a part of the path is a file'],
  ])('refuses %s like any bad setting, naming DATA_DIR', (_name, relative, why) => {
    fs.writeFileSync(path.join(tmp, 'README.md'), 'not a directory');
    const dir = path.join(tmp, relative);
    const err = refusal(dir);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.variable).toBe('DATA_DIR');
    expect(err.message).toBe(`invalid setting DATA_DIR=${JSON.stringify(dir)} must be a writable directory (${why})`);
  });
});
