import path from 'path';
import sqlite3 from 'sqlite3';
import { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/**
 * The one TypeORM options object (STYLE.md 5), used by the server, the CLI and the tests.
 * Entities are registered by each lib through TypeOrmModule.forFeature (autoLoadEntities).
 */
export function typeormOptions(config: AppConfig): DataSourceOptions & { autoLoadEntities: true } {
  const common = {
    synchronize: false,
    migrationsRun: true,
    migrations: MIGRATIONS,
    namingStrategy: new SnakeNamingStrategy(),
    autoLoadEntities: true as const,
    logging: ['error' as const],
  };
  if (config.databaseKind === 'sqlite') {
    return {
      ...common,
      type: 'sqlite',
      // TypeORM calls sqlite3.verbose(), which captures a stack trace on every query (a third of
      // the driver's CPU time under load); this driver's verbose() leaves the module as it is.
      driver: Object.assign(Object.create(sqlite3) as typeof sqlite3, { verbose: () => sqlite3 }),
      database: path.resolve(config.DATABASE_URL.slice('sqlite:'.length)),
      enableWAL: true,
      busyTimeout: 10000,
      migrationsTransactionMode: 'each',
    };
  }
  return {
    ...common,
    type: 'postgres',
    url: config.DATABASE_URL,
    extra: { max: 10, connectionTimeoutMillis: 5000 },
    migrationsTransactionMode: 'each',
  };
}
