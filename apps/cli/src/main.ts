import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DomainError, ensureDataDir, loadConfig } from '@kkd/core';
import { MemberImportError } from '@kkd/membership';
import { WeakPasswordError } from '@kkd/staff';
import { argsProblem, CommandArgs, parseArgs } from './args.util';
import { CliModule } from './cli.module';
import { CliIo, ingest, membersImport, slaDue, tokensCreate, usageExport, usersCreate } from './commands';
import { backup } from './backup';
import { seedDemo } from './demo';

const INFINITE = Number.POSITIVE_INFINITY;

/** Every command with the arguments it takes (INTERFACES.md); anything else is refused before it runs. */
const COMMANDS: Record<string, CommandArgs & { run: typeof membersImport }> = {
  'members:import': { run: membersImport, usage: 'members:import <file.csv> [--encoding sjis]', options: ['encoding'], positional: [1, 1] },
  // --password is the older, undocumented way (--password-stdin keeps it out of the process list).
  'users:create': {
    run: usersCreate, usage: 'users:create --email E --name N --role expert|manager|admin [--skills a,b] [--password-stdin]',
    options: ['email', 'name', 'role', 'skills', 'password'], flags: ['password-stdin'], positional: [0, 0],
  },
  'tokens:create': { run: tokensCreate, usage: 'tokens:create --email E', options: ['email'], positional: [0, 0] },
  ingest: { run: ingest, usage: 'ingest <file.eml>...', positional: [1, INFINITE] },
  'sla:due': { run: slaDue, usage: 'sla:due <instant>', positional: [1, 1] },
  'usage:export': { run: usageExport, usage: 'usage:export --month YYYY-MM', options: ['month'], positional: [0, 0] },
  backup: { run: backup, usage: 'backup <directory>', positional: [1, 1] },
  demo: { run: seedDemo, usage: 'demo', positional: [0, 0] },
};

const USAGE = `usage: npm run cli -- <command>\n${Object.values(COMMANDS).map((c) => `  ${c.usage}`).join('\n')}`;

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

async function main(argv: string[]): Promise<void> {
  const { positional, options } = parseArgs(argv, ['password-stdin']);
  const [command, ...args] = positional;
  // npm runs scripts from the package root; relative paths are the operator's.
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`), readStdin,
    write: (data) => new Promise<void>((resolve, reject) => process.stdout.write(data, (err) => (err ? reject(err) : resolve()))),
    warn: (line) => process.stderr.write(`${line}\n`),
    cwd: process.env.INIT_CWD ?? process.cwd(),
  };
  if (!command || command === 'help' || options.help) {
    io.out(USAGE);
    return;
  }
  const spec = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!spec) throw new DomainError('cli.unknown_command', `unknown command: ${command} (see --help)`);
  const problem = argsProblem(command, spec, args, options);
  if (problem) throw new DomainError('cli.bad_arguments', problem);

  const config = loadConfig({ ...process.env, RUN_HTTP: 'false', RUN_SMTP: 'false', RUN_SCHEDULER: 'false' });
  ensureDataDir(config.DATA_DIR);
  const ctx = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error'] });
  try {
    await spec.run(ctx, args, options, io);
  } finally {
    await ctx.close();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    const message = err instanceof MemberImportError
      ? `members:import refused (${err.problems.length} problem(s)), nothing imported: ${err.message}`
      : err instanceof WeakPasswordError ? `password refused (rule ${err.rule}): ${err.reason}`
      : err instanceof Error ? err.message : String(err);
    // One line (INTERFACES.md): several problems (a CSV's rows) are joined, not listed line by line.
    process.stderr.write(`${message.split('\n').map((l) => l.trim()).filter(Boolean).join('; ')}\n`);
    process.exit(err instanceof DomainError ? 2 : 1);
  },
);
