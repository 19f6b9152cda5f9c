import fs from 'fs';
import path from 'path';

let cachedRoot: string | undefined;

/** The project root (where package.json and templates/ live), found from this file's location. */
export function appRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'templates')) || !fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the project root (templates/ beside package.json)');
    dir = parent;
  }
  cachedRoot = dir;
  return dir;
}

export function templatesDir(...parts: string[]): string {
  return path.join(appRoot(), 'templates', ...parts);
}
