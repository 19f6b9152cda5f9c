import { ConsoleLogger, Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { AddressInfo } from 'net';
import { AppConfig, templatesDir } from '@kkd/core';
import { SmtpIntakeServer } from '@kkd/inbox';
import { StaffService } from '@kkd/staff';
import { AppModule } from './app.module';
import { registerPartials, registerViewHelpers } from './console/view-helpers';
import { noStore } from './http/no-store.middleware';
import { requestId } from './http/request-id.middleware';
import { securityHeaders } from './http/security-headers.middleware';
import { createValidationPipe } from './http/validation.pipe';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
const STATIC_PREFIX = '/static/';

export interface RunningServer {
  app: NestExpressApplication;
  httpPort: number | null;
  smtpPort: number | null;
  /** Set when this start created the first admin with a generated password. */
  initialAdmin: { email: string; password?: string } | null;
  close(): Promise<void>;
}

/**
 * Starts the server's parts as configured: HTTP (console + API), SMTP intake, scheduler.
 * Used by main.ts and by the end-to-end tests, so tests run the real thing.
 */
export async function startServer(config: AppConfig): Promise<RunningServer> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: new ConsoleLogger({ logLevels: LEVELS.slice(0, LEVELS.indexOf(config.LOG_LEVEL) + 1), json: config.LOG_FORMAT === 'json' }),
    bodyParser: true,
  });
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestId);
  app.use(securityHeaders(config.COOKIE_SECURE));
  app.use(noStore(STATIC_PREFIX));
  app.use(cookieParser());
  app.useBodyParser('urlencoded', { extended: false, limit: '2mb' });
  app.useBodyParser('json', { limit: '2mb' });
  app.useGlobalPipes(createValidationPipe());
  app.useStaticAssets(templatesDir('console', 'static'), { prefix: STATIC_PREFIX, maxAge: '1h' });
  app.setBaseViewsDir(templatesDir('console', 'pages'));
  app.setViewEngine('hbs');
  app.set('view options', { layout: '../layouts/main' });
  // Pages compiled once, not on every request (Express caches views only under NODE_ENV=production).
  app.set('view cache', true);
  registerPartials(templatesDir('console', 'partials'));
  registerViewHelpers();

  await app.init();
  const initialAdmin = await app.get(StaffService).ensureInitialAdmin(config.ADMIN_EMAIL, config.ADMIN_PASSWORD);

  let httpPort: number | null = null;
  if (config.RUN_HTTP) {
    await app.listen(config.HTTP_PORT, config.HTTP_HOST).catch((err: Error) => {
      throw new Error(`HTTP_HOST=${JSON.stringify(config.HTTP_HOST)} HTTP_PORT=${config.HTTP_PORT}: cannot listen (${err.message})`);
    });
    httpPort = (app.getHttpServer().address() as AddressInfo).port;
    Logger.log(`console and API on http://${config.HTTP_HOST}:${httpPort}/`, 'Server');
  }
  const smtp = app.get(SmtpIntakeServer);
  const smtpPort = config.RUN_SMTP ? await smtp.start() : null;

  return {
    app, httpPort, smtpPort, initialAdmin,
    async close() {
      await smtp.stop(); // stop taking mail first; accepted mail is already committed
      await app.close();
    },
  };
}
