import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, ensureDataDir, loadConfig } from '@kkd/core';
import { RunningServer, startServer } from './server';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
    ensureDataDir(config.DATA_DIR);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  if (!config.RUN_HTTP && !config.RUN_SMTP && !config.RUN_SCHEDULER) {
    process.stderr.write('invalid settings: RUN_HTTP, RUN_SMTP and RUN_SCHEDULER are all false, so there is nothing to run\n');
    process.exit(2);
  }
  // Signals are taken from the start: one during start-up closes the server as soon as it is up.
  let stopRequested = false;
  let running: RunningServer | null = null;
  const stop = () => {
    stopRequested = true;
    if (running) void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  const server = await startServer(config);
  running = server;
  if (stopRequested) return stop();
  if (server.initialAdmin?.password) {
    process.stdout.write(
      `\n初期管理者を作成しました / initial admin created\n  email:    ${server.initialAdmin.email}\n  password: ${server.initialAdmin.password}\n` +
      '  (shown once; it must be changed at the first sign-in)\n\n',
    );
  }
  Logger.log(`ready (HTTP ${server.httpPort ?? 'off'}, SMTP ${server.smtpPort ?? 'off'}, scheduler ${config.RUN_SCHEDULER ? 'on' : 'off'})`, 'Server');
}

main().catch((err: unknown) => {
  process.stderr.write(`server failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
