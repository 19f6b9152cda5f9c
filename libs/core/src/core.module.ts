import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from './config/app-config';
import { Clock } from './clock';
import { LeaseService } from './database/lease.service';
import { TransactionRunner } from './database/transaction-runner';
import { typeormOptions } from './database/typeorm-options';
import { DomainEvents } from './events/domain-events';
import { Setting } from './settings/setting.entity';
import { SettingsService } from './settings/settings.service';
import { DataFiles } from './storage/data-files';

/** Config, database and clock for every lib; the app passes in the validated config. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      imports: [TypeOrmModule.forRoot(typeormOptions(config)), TypeOrmModule.forFeature([Setting])],
      providers: [{ provide: AppConfig, useValue: config }, Clock, TransactionRunner, LeaseService, DomainEvents, SettingsService, DataFiles],
      exports: [AppConfig, Clock, TransactionRunner, LeaseService, DomainEvents, SettingsService, DataFiles],
    };
  }
}
