#!/usr/bin/env node
// Builds dist/ when it is missing or older than any source file, so `npm start` works on a fresh clone.
const fs = require('fs');
const path = require('path');
const { execSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const outputs = ['dist/apps/server/main.js', 'dist/apps/cli/main.js'].map((p) => path.join(root, p));

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

const builtAt = Math.min(...outputs.map((p) => (fs.existsSync(p) ? fs.statSync(p).mtimeMs : 0)));
const sourcesAt = Math.max(newestMtime(path.join(root, 'apps')), newestMtime(path.join(root, 'libs')));
if (builtAt < sourcesAt) {
  process.stderr.write('Building (dist/ is missing or older than the sources)...\n');
  // The build's output goes to stderr: stdout belongs to the command (`tokens:create` prints the token alone).
  execSync('npx nest build server && npx nest build cli', { cwd: root, stdio: ['ignore', 2, 2] });
}
