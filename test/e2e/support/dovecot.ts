import { execFileSync } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { ImapFlow } from 'imapflow';

const DOVECOT = '/usr/sbin/dovecot';
const USER = 'kakekomi';
const PASSWORD = 'imap-password-123';

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as net.AddressInfo;
    s.close(() => resolve(port));
  });
});

export interface TestMailbox {
  /** IMAP_URL for the server under test. */
  url: string;
  append(raw: string | Buffer, date?: Date): Promise<void>;
  count(folder: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A real Dovecot (Debian's dovecot-imapd; .ci/run installs it) on a loopback port, with one
 * mailbox in a temporary folder. Mail is stored as the `nobody` user: Dovecot refuses root.
 */
export async function startDovecot(): Promise<TestMailbox> {
  if (!fs.existsSync(DOVECOT)) throw new Error(`Dovecot not found at ${DOVECOT}: apt-get install -y dovecot-imapd (.ci/run does)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kkd-dovecot-'));
  fs.chmodSync(dir, 0o755);
  fs.mkdirSync(path.join(dir, 'run'));
  fs.mkdirSync(path.join(dir, 'mail'));
  execFileSync('chown', ['nobody:nogroup', path.join(dir, 'mail')]);
  fs.writeFileSync(path.join(dir, 'users'), `${USER}:{PLAIN}${PASSWORD}\n`);
  const port = await freePort();
  const config = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(config, `
base_dir = ${dir}/run
state_dir = ${dir}/run
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:${dir}/mail/%u
mail_uid = nobody
mail_gid = nogroup
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`);
  // Dovecot daemonises; its child must not hold our pipes open.
  execFileSync(DOVECOT, ['-c', config], { stdio: 'ignore' });
  const client = () => new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user: USER, pass: PASSWORD }, logger: false });
  for (let i = 0; ; i++) {
    const probe = client();
    try {
      await probe.connect();
      await probe.logout();
      break;
    } catch (err) {
      if (i > 50) throw new Error(`Dovecot did not start: ${String(err)}\n${fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const withClient = async <T>(work: (c: ImapFlow) => Promise<T>): Promise<T> => {
    const c = client();
    await c.connect();
    try {
      return await work(c);
    } finally {
      await c.logout();
    }
  };
  return {
    url: `imap://${USER}:${PASSWORD}@127.0.0.1:${port}/INBOX`,
    append: (raw, date) => withClient(async (c) => { await c.append('INBOX', typeof raw === 'string' ? Buffer.from(raw) : raw, [], date); }),
    count: (folder) => withClient(async (c) => { const status = await c.status(folder, { messages: true }); return status ? status.messages ?? 0 : 0; }),
    stop: async () => {
      execFileSync('doveadm', ['-c', config, 'stop'], { stdio: 'ignore' });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
