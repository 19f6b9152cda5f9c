#!/usr/bin/env node
// `npm run screenshots`: refreshes the README's screenshots (docs/screenshots/*.png).
// Seeds the demo data set into a temporary SQLite database through the CLI, starts the built
// server on free ports against it, and drives Debian's Chromium (playwright-core, never a
// downloaded browser) through the queue, a consult, the SLA report and the member FAQ.
// A Japanese font (fonts-noto-cjk or fonts-ipafont-gothic) must be installed for readable text.
const { execFile, spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const { simpleParser } = require('mailparser');
const { Database } = require('sqlite3');
const { freePort, waitForServer } = require('../bench/support');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'docs', 'screenshots');
const PASSWORD = 'demo-password-2026';
const VIEWPORT = { width: 1280, height: 900 };

function cli(args, env) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(ROOT, 'dist/apps/cli/main.js'), ...args], { env, cwd: ROOT }, (err, stdout, stderr) => {
      if (err) reject(new Error(`cli ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

const query = (file, sql, params = []) => new Promise((resolve, reject) => {
  const db = new Database(file);
  db.all(sql, params, (err, rows) => { db.close(); if (err) reject(err); else resolve(rows); });
});

/** The member sign-in link from the newest mail in DATA_DIR/outbox that carries one (10 s at most). */
async function signInLink(outbox) {
  for (let i = 0; i < 100; i++) {
    const files = fs.existsSync(outbox) ? fs.readdirSync(outbox).filter((f) => f.endsWith('.eml')).sort().reverse() : [];
    for (const file of files) {
      const mail = await simpleParser(fs.readFileSync(path.join(outbox, file)));
      const link = (mail.text ?? '').match(/https?:\/\/\S+\/help\/login\/[A-Za-z0-9_-]+/);
      if (link) return link[0];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no sign-in mail arrived in the outbox');
}

async function main() {
  for (const f of ['dist/apps/server/main.js', 'dist/apps/cli/main.js']) {
    if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} missing: run npm run build first`);
  }
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}: apt-get install -y chromium`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kkd-screenshots-'));
  const [httpPort, smtpPort] = [await freePort(), await freePort()];
  const dbFile = path.join(dir, 'helpdesk.sqlite');
  const env = {
    ...process.env, DATA_DIR: dir, DATABASE_URL: `sqlite:${dbFile}`, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(httpPort),
    SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtpPort), SMTP_RELAY_URL: '', CONSOLE_URL: '', IMAP_URL: '',
    ADMIN_EMAIL: 'admin@helpdesk.test', ADMIN_PASSWORD: 'Screenshot-Admin-Only-2026', INIT_CWD: dir,
    // A throw-away server for pictures: only admins (not used here) need a second factor, so the manager signs in with the password.
    TOTP_REQUIRED_ROLES: 'admin',
  };
  let server;
  let context;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kkd-chromium-'));
  try {
    // The demo seed, through the CLI, into the database the server is about to serve.
    process.stdout.write(await cli(['demo'], env));
    server = spawn(process.execPath, [path.join(ROOT, 'dist/apps/server/main.js')], { env, cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    await waitForServer(httpPort);
    const base = `http://127.0.0.1:${httpPort}`;

    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath, headless: true, viewport: VIEWPORT, locale: 'ja-JP', timezoneId: 'Asia/Tokyo',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    fs.mkdirSync(OUT, { recursive: true });
    const shot = async (name) => {
      await page.evaluate(() => document.fonts.ready);
      const file = path.join(OUT, `${name}.png`);
      await page.screenshot({ path: file, fullPage: false });
      console.log(`${path.relative(ROOT, file)}  ${Math.round(fs.statSync(file).size / 1024)} KB`);
    };

    // Staff console, signed in as the manager.
    await page.goto(`${base}/login`);
    await page.fill('input[name=email]', 'manager@helpdesk.test');
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('form [type=submit]')]);

    await page.goto(`${base}/consults`);
    await shot('queue');

    const [consult] = await query(dbFile, "SELECT number FROM consults WHERE subject LIKE '%倉庫管理システム%' ORDER BY number LIMIT 1");
    await page.goto(`${base}/consults/${consult.number}`);
    await shot('consult');

    await page.goto(`${base}/reports/sla`);
    await shot('sla-report');

    // The member FAQ as a member reads it: sign in by the mailed one-time link.
    await page.goto(`${base}/help/login`);
    await page.fill('input[name=email]', 'csirt@sakura-demo.example.jp');
    await Promise.all([page.waitForLoadState('load'), page.click('form [type=submit]')]);
    // The link opens a page with a button (mail scanners that fetch links do not use it up).
    await page.goto(await signInLink(path.join(dir, 'outbox')));
    await Promise.all([page.waitForURL((u) => u.pathname === '/help'), page.click('form [type=submit]')]);
    await shot('faq');
  } finally {
    if (context) await context.close().catch(() => {});
    fs.rmSync(userDataDir, { recursive: true, force: true });
    if (server) {
      server.kill('SIGTERM');
      await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
