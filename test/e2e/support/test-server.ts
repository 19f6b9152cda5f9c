import fs from 'fs';
import { AppConfig } from '@kkd/core';
import { MemberImportService } from '@kkd/membership';
import { OutboxSenderJob } from '@kkd/mail';
import { StaffService } from '@kkd/staff';
import { createTestDatabase, dropTestDatabase, membersCsv, testConfig } from '@kkd/testing';
import { RunningServer, startServer } from '../../../apps/server/src/server';

export const EXPERT = { email: 'expert@helpdesk.test', name: '専門 太郎', password: 'expert-password-123' };
export const MANAGER = { email: 'manager@helpdesk.test', name: '管理 花子', password: 'manager-password-123' };
export const MEMBERS = [
  { clubId: 'CST-00123', nickname: 'ひまわり', email: 'soc@himawari.example.jp', company: 'ひまわり精機株式会社' },
  { clubId: 'CST-00456', nickname: 'さくら', email: 'csirt@sakura.example.jp', company: 'さくら物産株式会社' },
  { clubId: 'CST-00789', nickname: 'もみじ', email: 'it@momiji.example.jp', company: 'もみじ銀行', status: 'suspended' },
];

/** A fetch Response whose JSON body tests read freely (the API's shape is what they assert). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ApiResponse = Omit<Response, 'json'> & { json(): Promise<any> };

export interface TestServer {
  server: RunningServer;
  config: AppConfig;
  baseUrl: string;
  smtpPort: number;
  expertToken: string;
  managerToken: string;
  api(path: string, init?: RequestInit & { token?: string }): Promise<ApiResponse>;
  /** Runs the outbox sender once, as the scheduler would. */
  flushOutbox(): Promise<void>;
  /** Outbound mail written so far, oldest first; only that addressed to `to` when given. */
  outboxFiles(to?: string): string[];
  close(): Promise<void>;
}

/** The whole server (HTTP + SMTP) on loopback ports with a fresh SQLite database and DATA_DIR. */
export async function startTestServer(overrides: Record<string, string> = {}): Promise<TestServer> {
  const config = testConfig(overrides);
  await createTestDatabase(config);
  const server = await startServer(config);
  const staff = server.app.get(StaffService);
  await server.app.get(MemberImportService).importCsv(Buffer.from(membersCsv(MEMBERS)));
  await staff.create({ ...EXPERT, role: 'expert', skills: ['ransomware'] });
  await staff.create({ ...MANAGER, role: 'manager' });
  const expertToken = await staff.createToken(EXPERT.email);
  const managerToken = await staff.createToken(MANAGER.email);
  const baseUrl = `http://127.0.0.1:${server.httpPort}`;
  const outboxDir = `${config.DATA_DIR}/outbox`;
  return {
    server, config, baseUrl, smtpPort: server.smtpPort!, expertToken, managerToken,
    api: (path, init = {}) => fetch(`${baseUrl}${path}`, {
      ...init,
      headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.token !== '' ? { authorization: `Bearer ${init.token ?? expertToken}` } : {}), ...(init.headers as Record<string, string> | undefined) },
    }),
    flushOutbox: () => server.app.get(OutboxSenderJob).tick(),
    outboxFiles: (to?: string) => (fs.existsSync(outboxDir) ? fs.readdirSync(outboxDir).filter((f) => f.endsWith('.eml')).sort().map((f) => `${outboxDir}/${f}`) : [])
      .filter((file) => !to || new RegExp(`^To: .*${to.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'mi').test(fs.readFileSync(file, 'latin1').split(/\r?\n\r?\n/)[0])),
    close: async () => {
      await server.close();
      await dropTestDatabase(config);
      fs.rmSync(config.DATA_DIR, { recursive: true, force: true });
    },
  };
}

/** A console session: signs in through the login form like a browser without JavaScript. */
export class ConsoleClient {
  private cookies = new Map<string, string>();
  /** Set-Cookie headers of the last response, as sent. */
  lastSetCookies: string[] = [];

  constructor(private readonly baseUrl: string) {}

  async get(path: string): Promise<{ status: number; html: string; location: string | null }> {
    return this.request('GET', path);
  }

  async post(path: string, form: Record<string, string>): Promise<{ status: number; html: string; location: string | null }> {
    return this.request('POST', path, new URLSearchParams(form).toString());
  }

  /** The cookies this client holds, as a Cookie header (for requests made outside it). */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** The CSRF token of the first form on a page. */
  static csrfOf(html: string): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!m) throw new Error('no CSRF token on the page');
    return m[1];
  }

  async login(email: string, password: string): Promise<{ status: number; html: string; location: string | null }> {
    const page = await this.get('/login');
    return this.post('/login', { _csrf: ConsoleClient.csrfOf(page.html), email, password });
  }

  private async request(method: string, path: string, body?: string) {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method, redirect: 'manual', body,
      headers: {
        cookie: this.cookieHeader(),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
    });
    this.lastSetCookies = res.headers.getSetCookie();
    for (const c of this.lastSetCookies) {
      const [pair] = c.split(';');
      const [name, value] = pair.split('=');
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, html: await res.text(), location: res.headers.get('location') };
  }
}
