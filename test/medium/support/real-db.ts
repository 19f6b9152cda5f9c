import { Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { Test, TestingModule } from '@nestjs/testing';
import fs from 'fs';
import { AppConfig, CoreModule } from '@kkd/core';
import { createTestDatabase, dropTestDatabase, testConfig } from '@kkd/testing';

/** A Nest module with the given libs on a real, freshly migrated database (scheduler registry as in the apps, no timers started). */
export async function realDbModule(imports: Type<unknown>[], overrides: Record<string, string> = {}): Promise<{ module: TestingModule; config: AppConfig; close(): Promise<void> }> {
  const config = testConfig(overrides);
  await createTestDatabase(config);
  const module = await Test.createTestingModule({ imports: [CoreModule.forRoot(config), ScheduleModule.forRoot(), ...imports] }).compile();
  await module.init();
  return {
    module, config,
    close: async () => {
      await module.close();
      await dropTestDatabase(config);
      fs.rmSync(config.DATA_DIR, { recursive: true, force: true });
    },
  };
}
