import { DynamicModule, Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { Test, TestingModule } from '@nestjs/testing';
import fs from 'fs';
import { DataSource } from 'typeorm';
import { AppConfig, Clock, CoreModule } from '@kkd/core';
import { createTestDatabase, dropTestDatabase, testConfig } from '@kkd/testing';

export interface RealDbOptions {
  /** Settings on top of the test defaults. */
  env?: Record<string, string>;
  /** Another module's config: a second "server process" on the same database. */
  sameDatabaseAs?: AppConfig;
  /** A clock the test moves. */
  clock?: Clock;
}

/**
 * A Nest module with the given libs on a real, freshly migrated database (the scheduler registry
 * as in the apps; the timers never fire within a test).
 */
export async function realDbModule(imports: (Type<unknown> | DynamicModule)[], options: RealDbOptions = {}): Promise<{ module: TestingModule; config: AppConfig; close(): Promise<void> }> {
  const shared = options.sameDatabaseAs;
  const config = shared ?? testConfig(options.env);
  if (!shared) await createTestDatabase(config);
  let builder = Test.createTestingModule({ imports: [CoreModule.forRoot(config), ScheduleModule.forRoot(), ...imports] });
  if (options.clock) builder = builder.overrideProvider(Clock).useValue(options.clock);
  const module = await builder.compile();
  await module.init();
  return {
    module, config,
    close: async () => {
      await module.close();
      if (shared) return; // the first module owns the database and DATA_DIR
      await dropTestDatabase(config);
      fs.rmSync(config.DATA_DIR, { recursive: true, force: true });
    },
  };
}

/** A clock that stays where the test puts it. */
export class TestClock extends Clock {
  constructor(private instant: Date) {
    super();
  }

  override now(): Date {
    return new Date(this.instant);
  }

  set(instant: Date): void {
    this.instant = instant;
  }
}

/** Runs one registered migration's up or down by hand on the live database (migration tests). */
export async function runMigration(dataSource: DataSource, name: string, step: 'up' | 'down'): Promise<void> {
  const migration = dataSource.migrations.find((m) => m.name === name);
  if (!migration) throw new Error(`migration ${name} is not registered`);
  const runner = dataSource.createQueryRunner();
  try {
    await migration[step](runner);
  } finally {
    await runner.release();
  }
}
