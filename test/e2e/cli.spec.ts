import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Database } from 'sqlite3';
import { CATEGORIES } from '@kkd/consults';
import { buildMail } from '@kkd/testing';

const CLI = path.resolve(__dirname, '../../dist/apps/cli/main.js');

/** Runs the built CLI as an operator would (`npm run cli --` is the same binary). */
function cli(args: string[], env: Record<string, string>, stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
    child.stdin?.end(stdin ?? '');
  });
}

describe('operator command line (built binary)', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kkd-cli-'));
    env = { DATA_DIR: dir, DATABASE_URL: `sqlite:${dir}/cli.sqlite`, INIT_CWD: dir };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the due time of sla:due in +09:00', async () => {
    expect(await cli(['sla:due', '2026-11-20T18:30:00+09:00'], env)).toMatchObject({ code: 0, stdout: '2026-11-26T17:00:00+09:00\n' });
    const bad = await cli(['sla:due', 'not-a-date'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    // Outside the holiday calendar's years: refused on one line, never an overflow or a wrong date.
    for (const instant of ['9999-12-31T23:59:59+09:00', '0001-01-01T00:00:00Z']) {
      const outside = await cli(['sla:due', instant], env);
      expect(outside).toMatchObject({ code: 2, stdout: '' });
      expect(outside.stderr).toMatch(/^sla:due: the instant must be from 1970-01-01 to 2050-12-31 .*\n$/);
    }
  });

  it('refuses unknown options and stray arguments of every command with one line naming them, before doing anything', async () => {
    const cases: [string[], string][] = [
      [['tokens:create', '--email', 'ex@helpdesk.test', '--role', 'admin'], '--role'],
      [['users:create', '--email', 'z@helpdesk.test', '--name', 'z', '--role', 'expert', '--bogus', '1'], '--bogus'],
      [['usage:export', '--month', '2026-11', '--format', 'json'], '--format'],
      [['members:import', 'good.csv', '--encodng', 'sjis'], '--encodng'],
      [['ingest', 'one.eml', '--dry-run'], '--dry-run'],
      [['sla:due', '2026-11-20T18:30:00+09:00', '--tz', 'UTC'], '--tz'],
      [['tokens:create', '--email', 'ex@helpdesk.test', 'extra'], '"extra"'],
      [['sla:due', '2026-11-20T18:30:00+09:00', '2026-11-21T10:00:00+09:00'], '"2026-11-21T10:00:00+09:00"'],
    ];
    for (const [args, named] of cases) {
      const refused = await cli(args, env);
      expect({ args, code: refused.code, stdout: refused.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toContain(named);
    }
    // Nothing was created by the refused users:create.
    const token = await cli(['tokens:create', '--email', 'z@helpdesk.test'], env);
    expect(token.code).not.toBe(0);
  });

  it('imports members all-or-nothing, naming row and column of a bad cell', async () => {
    fs.writeFileSync(path.join(dir, 'bad.csv'), 'club_id,nickname,email,company,contract_start\nCST-1,あ,a@a.example.jp,A社,2026-04-01\nCST-2,い,broken,B社,2026-04-01\n');
    const bad = await cli(['members:import', 'bad.csv'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/row 3, column email/);
    // Two bad rows: both named, on the one line INTERFACES.md promises.
    fs.writeFileSync(path.join(dir, 'bad2.csv'), 'club_id,nickname,email,company,contract_start\nCST-1,あ,broken,A社,2026-04-01\nCST-2,い,a@a.example.jp,B社,2026-13-01\n');
    const twice = await cli(['members:import', 'bad2.csv'], env);
    expect(twice.code).not.toBe(0);
    expect(twice.stderr.trim().split('\n')).toHaveLength(1);
    expect(twice.stderr).toMatch(/row 2, column email.*row 3, column contract_start/);
    fs.writeFileSync(path.join(dir, 'good.csv'), 'club_id,nickname,email,company,contract_start\nCST-1,あ,a@a.example.jp,A社,2026-04-01\n');
    expect(await cli(['members:import', 'good.csv'], env)).toMatchObject({ code: 0, stdout: expect.stringContaining('1 created') });
  });

  it('creates a staff account from stdin and prints a token alone on stdout', async () => {
    const created = await cli(['users:create', '--email', 'ex@helpdesk.test', '--name', '専門', '--role', 'expert', '--skills', 'ransomware,malware', '--password-stdin'], env, 'expert-password-123\n');
    expect(created.code).toBe(0);
    const token = await cli(['tokens:create', '--email', 'ex@helpdesk.test'], env);
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^kkd_[A-Za-z0-9_-]{40,}\n$/);
    // Through npm as INTERFACES.md writes it: still the token alone (no npm banner, no build output).
    const viaNpm = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile('npm', ['run', 'cli', '--', 'tokens:create', '--email', 'ex@helpdesk.test'], { cwd: path.resolve(__dirname, '../..'), env: { ...process.env, ...env } }, (err, stdout) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout });
      });
    });
    expect(viaNpm).toMatchObject({ code: 0, stdout: expect.stringMatching(/^kkd_[A-Za-z0-9_-]{40,}\n$/) });
    expect((await cli(['users:create', '--email', 'x@helpdesk.test', '--name', 'x', '--role', 'boss'], env)).code).not.toBe(0);
    const badSkill = await cli(['users:create', '--email', 'y@helpdesk.test', '--name', 'y', '--role', 'expert', '--skills', 'ransomware,ランサム'], env);
    expect(badSkill.code).not.toBe(0);
    expect(badSkill.stderr).toContain('unknown skill ランサム');
    expect((await cli(['tokens:create', '--email', 'nobody@helpdesk.test'], env)).code).not.toBe(0);
  });

  it('refuses a weak password with a one-line reason naming the rule, and audits the account it creates', async () => {
    for (const [password, rule] of [
      ['short-pw', 'min_length'], ['Qwerty--2026', 'common'], ['weak.person2026', 'email_local_part'],
      ['weak.person@helpdesk.test', 'email_address'], ['Weak.Person@helpdesk.test2026', 'email_address'],
    ]) {
      const refused = await cli(['users:create', '--email', 'weak.person@helpdesk.test', '--name', '弱', '--role', 'expert', '--password-stdin'], env, `${password}\n`);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(new RegExp(`^password refused \\(rule ${rule}\\): .+\n$`));
      expect(refused.stderr).not.toContain(password);
    }
    const created = await cli(['users:create', '--email', 'weak.person@helpdesk.test', '--name', '強', '--role', 'manager', '--password-stdin'], env, 'Yuki-Hotaru-Kawa-9\n');
    expect(created).toMatchObject({ code: 0, stdout: 'created manager weak.person@helpdesk.test\n' });
    const db = new Database(`${dir}/cli.sqlite`);
    try {
      const rows = await new Promise<Record<string, unknown>[]>((resolve, reject) => db.all(
        "SELECT actor_email, target_label, details FROM audit_log WHERE action = 'staff.created' AND target_label = 'weak.person@helpdesk.test'",
        (e: Error | null, r: Record<string, unknown>[]) => (e ? reject(e) : resolve(r)),
      ));
      expect(rows).toEqual([{ actor_email: null, target_label: 'weak.person@helpdesk.test', details: '{"role":"manager"}' }]);
      // A password the person chose (read from stdin) need not be changed at the first sign-in.
      const flags = await new Promise<Record<string, unknown>[]>((resolve, reject) => db.all(
        "SELECT must_change_password FROM staff_users WHERE email = 'weak.person@helpdesk.test'",
        (e: Error | null, r: Record<string, unknown>[]) => (e ? reject(e) : resolve(r)),
      ));
      expect(flags).toEqual([{ must_change_password: 0 }]);
    } finally {
      db.close();
    }
  });

  it('ingests .eml files through the same intake as SMTP', async () => {
    fs.writeFileSync(path.join(dir, 'one.eml'), buildMail({ from: 'a@a.example.jp', subject: 'ingest テスト' }).raw);
    const result = await cli(['ingest', 'one.eml'], env);
    expect(result).toMatchObject({ code: 0, stdout: 'one.eml: consult_opened KKD#1\n' });
  });

  it('seeds a lived-in demo once: every state, one breached, a billing candidate, published FAQ, experts covering every category', async () => {
    const demoEnv = { ...env, DATABASE_URL: `sqlite:${dir}/demo.sqlite` };
    const first = await cli(['demo'], demoEnv);
    expect(first).toMatchObject({ code: 0, stdout: expect.stringContaining('demo data ready') });
    expect(first.stdout).toContain('manager@helpdesk.test');
    expect(first.stdout).toContain('サインイン');
    const db = new Database(`${dir}/demo.sqlite`);
    const all = (sql: string, params: unknown[] = []) => new Promise<Record<string, unknown>[]>((resolve, reject) => db.all(sql, params, (e: Error | null, rows: Record<string, unknown>[]) => (e ? reject(e) : resolve(rows))));
    const snapshot = async () => all(`SELECT (SELECT COUNT(*) FROM consults) AS consults, (SELECT COUNT(*) FROM messages) AS messages, (SELECT COUNT(*) FROM members) AS members,
      (SELECT COUNT(*) FROM faq_entries) AS faq, (SELECT COUNT(*) FROM held_mails) AS held, (SELECT COUNT(*) FROM staff_users) AS staff`);
    try {
      const before = await snapshot();
      const experts = await all("SELECT email, skills, capacity FROM staff_users WHERE role = 'expert'");
      const covered = new Set(experts.flatMap((e) => String(e.skills).split(',')));
      expect([...CATEGORIES].filter((c) => !covered.has(c))).toEqual([]);
      expect(experts.every((e) => Number(e.capacity) > 0)).toBe(true);
      expect(await all("SELECT COUNT(*) AS n FROM staff_users WHERE role = 'manager'")).toEqual([{ n: 1 }]);
      expect(await all('SELECT note FROM staff_absences')).toEqual([{ note: '出張（デモ）' }]);
      expect(await all("SELECT COUNT(*) AS n FROM members WHERE status = 'suspended'")).toEqual([{ n: 1 }]);

      const byStatus: Record<string, number> = Object.fromEntries((await all('SELECT status, COUNT(*) AS n FROM consults GROUP BY status')).map((r) => [r.status, Number(r.n)]));
      for (const status of ['new', 'open', 'waiting_member', 'resolved', 'closed']) expect(byStatus[status]).toBeGreaterThan(0);
      expect(Object.values(byStatus).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(40);
      expect(await all("SELECT COUNT(*) AS n FROM consults WHERE sla_state = 'breached'")).toEqual([{ n: 1 }]);
      expect((await all('SELECT COUNT(DISTINCT category) AS n FROM consults'))[0].n).toBe(CATEGORIES.length);
      expect(Number((await all("SELECT COUNT(*) AS n FROM messages WHERE direction = 'note'"))[0].n)).toBeGreaterThan(0);

      // A billing candidate: one member has 3 or more consults received in the current Japan month.
      const jst = new Date(Date.now() + 9 * 3600_000);
      const monthStart = Date.UTC(jst.getUTCFullYear(), jst.getUTCMonth(), 1) - 9 * 3600_000;
      const perMember = await all('SELECT member_id, COUNT(*) AS n FROM consults WHERE received_at >= ? GROUP BY member_id', [monthStart]);
      expect(perMember.filter((r) => Number(r.n) >= 3)).toHaveLength(1);

      expect(Number((await all("SELECT COUNT(*) AS n FROM faq_entries WHERE status = 'published'"))[0].n)).toBeGreaterThan(0);

      // Again: nothing doubled, nothing refused.
      const again = await cli(['demo'], demoEnv);
      expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining('demo data ready') });
      expect(await snapshot()).toEqual(before);
    } finally {
      db.close();
    }
  });

  it('refuses an unknown command and a bad setting with a one-line reason', async () => {
    const unknown = await cli(['frobnicate'], env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('unknown command');
    const badSetting = await cli(['tokens:create', '--email', 'ex@helpdesk.test'], { ...env, DATABASE_URL: 'mysql://nope' });
    expect(badSetting.code).not.toBe(0);
    expect(badSetting.stderr).toContain('DATABASE_URL');
    // A URL that passes the pattern but not the parser its consumer uses: one line, named, no password.
    for (const [name, value] of [['SMTP_RELAY_URL', 'smtp://user:S3cretPw@relay.example.jp:abc'], ['DATABASE_URL', 'postgres://kkd:S3cretPw@db.internal:99999/helpdesk'], ['ADMIN_PASSWORD', 'S3cretPw']]) {
      const refused = await cli(['tokens:create', '--email', 'ex@helpdesk.test'], { ...env, [name]: value });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(new RegExp(`^invalid setting ${name}\\b[^\\n]*\\n$`));
      expect(refused.stderr).not.toContain('S3cretPw');
    }
    // A DATA_DIR that cannot be a directory stops the command before it starts, like any bad setting.
    const dataFile = path.join(dir, 'README.md');
    fs.writeFileSync(dataFile, 'not a directory');
    const badDir = await cli(['tokens:create', '--email', 'ex@helpdesk.test'], { ...env, DATA_DIR: `${dataFile}/data` });
    expect(badDir.code).toBe(2);
    expect(badDir.stderr).toMatch(/^invalid setting DATA_DIR="[^"\n]*README\.md\/data" must be a writable directory[^\n]*\n$/);
  });
});
