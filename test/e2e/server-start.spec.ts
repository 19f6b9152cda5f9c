import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';

const SERVER = path.resolve(__dirname, '../../dist/apps/server/main.js');

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as net.AddressInfo;
    s.close(() => resolve(port));
  });
});

const children: ChildProcess[] = [];

/** Runs the built server until it prints `until` (or exits); returns what it printed. */
function run(env: Record<string, string>, until?: RegExp): Promise<{ code: number | null; stdout: string; stderr: string; child: ChildProcess }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVER], { env: { ...process.env, LOG_LEVEL: 'log', ...env } });
    children.push(child);
    let stdout = '';
    let stderr = '';
    const done = (code: number | null) => resolve({ code, stdout, stderr, child });
    child.stdout.on('data', (c: Buffer) => { stdout += c; if (until?.test(stdout)) done(null); });
    child.stderr.on('data', (c: Buffer) => { stderr += c; });
    child.on('exit', (code) => done(code));
  });
}

const stop = (child: ChildProcess) => new Promise<number | null>((resolve) => {
  child.once('exit', (code) => resolve(code));
  child.kill('SIGTERM');
});

describe('starting the built server (npm start)', () => {
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kkd-start-')); });
  afterEach(() => { for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL'); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([['HTTP_PORT', 'eighty'], ['DATABASE_URL', 'mysql://db/kkd'], ['RUN_SMTP', 'maybe'], ['LOG_FORMAT', 'xml']])(
    'refuses to start with a bad %s, naming it', async (name, value) => {
      const result = await run({ DATA_DIR: dir, [name]: value });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(name);
    },
  );

  it('refuses a DATA_DIR that is a file before saying ready, naming it on one line', async () => {
    const file = path.join(dir, 'README.md');
    fs.writeFileSync(file, 'not a directory');
    const env = { DATA_DIR: file, DATABASE_URL: `sqlite:${dir}/data-dir.sqlite`, HTTP_PORT: String(await freePort()), SMTP_PORT: String(await freePort()) };
    const result = await run(env, /ready \(/);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`invalid setting DATA_DIR=${JSON.stringify(file)} must be a writable directory (it is a file)\n`);
  });

  it('says a port is not an integer, not that it is out of range', async () => {
    expect((await run({ DATA_DIR: dir, HTTP_PORT: 'abc' })).stderr).toMatch(/HTTP_PORT="abc" .*integer/);
  });

  it.each([['HTTP_HOST', 'HTTP_PORT'], ['SMTP_HOST', 'SMTP_PORT']])('names %s when the server cannot listen there', async (host, port) => {
    const env = { DATA_DIR: dir, DATABASE_URL: `sqlite:${dir}/listen.sqlite`, HTTP_PORT: String(await freePort()), SMTP_PORT: String(await freePort()), [host]: 'no-such-host.invalid' };
    const result = await run(env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`${host}="no-such-host.invalid" ${port}=`);
  });

  it('creates the first admin and prints its one-time password once, then stops cleanly on SIGTERM', async () => {
    const env = { DATA_DIR: dir, DATABASE_URL: `sqlite:${dir}/start.sqlite`, HTTP_PORT: String(await freePort()), SMTP_PORT: String(await freePort()) };
    const first = await run(env, /ready \(HTTP \d+, SMTP \d+/);
    expect(first.stdout).toMatch(/email: +admin@helpdesk\.test\n +password: +\S{12,}/);
    expect(await stop(first.child)).toBe(0);

    const second = await run(env, /ready \(HTTP \d+, SMTP \d+/);
    expect(second.stdout).not.toContain('password:');
    expect(await stop(second.child)).toBe(0);
  });

  it('writes one JSON object per log line with LOG_FORMAT=json', async () => {
    const env = {
      DATA_DIR: dir, DATABASE_URL: `sqlite:${dir}/json.sqlite`, HTTP_PORT: String(await freePort()), SMTP_PORT: String(await freePort()),
      LOG_FORMAT: 'json', ADMIN_EMAIL: 'ops@helpdesk.test', ADMIN_PASSWORD: 'ops-password-2026',
    };
    const server = await run(env, /ready \(HTTP \d+, SMTP \d+/);
    expect(await stop(server.child)).toBe(0);
    const lines = server.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ level: expect.any(String), message: expect.anything() });
    expect(lines.map((l) => JSON.parse(l)).some((e) => e.context === 'SmtpIntakeServer')).toBe(true);
  });

  it('switches parts off: with RUN_HTTP and RUN_SMTP false it listens on nothing and runs the scheduler', async () => {
    const [httpPort, smtpPort] = [await freePort(), await freePort()];
    const env = {
      DATA_DIR: dir, DATABASE_URL: `sqlite:${dir}/parts.sqlite`, HTTP_PORT: String(httpPort), SMTP_PORT: String(smtpPort),
      RUN_HTTP: 'false', RUN_SMTP: 'false',
    };
    const server = await run(env, /ready \(/);
    expect(server.stdout).toContain('ready (HTTP off, SMTP off, scheduler on)');
    const refused = (port: number) => new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(false); });
      socket.once('error', () => resolve(true));
    });
    expect(await refused(httpPort)).toBe(true);
    expect(await refused(smtpPort)).toBe(true);
    expect(await stop(server.child)).toBe(0);

    const nothing = await run({ ...env, RUN_SCHEDULER: 'false' });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('RUN_SCHEDULER');
  });
});
