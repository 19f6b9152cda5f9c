import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConsultsModule } from '@kkd/consults';
import { BillingExportService } from './billing-export.service';
import { UsageClosedConsult } from './entities/usage-closed-consult.entity';
import { UsageDecision } from './entities/usage-decision.entity';
import { UsageHistory } from './entities/usage-history.entity';
import { UsageMonth } from './entities/usage-month.entity';
import { UsageCloseJob } from './jobs/usage-close.job';
import { UsageCloseService } from './usage-close.service';
import { UsageRepository } from './usage.repository';
import { UsageService } from './usage.service';

@Module({
  imports: [TypeOrmModule.forFeature([UsageDecision, UsageHistory, UsageMonth, UsageClosedConsult]), ConsultsModule],
  providers: [UsageRepository, UsageService, UsageCloseService, BillingExportService, UsageCloseJob],
  exports: [UsageService, UsageCloseService, BillingExportService, UsageCloseJob],
})
export class UsageModule {}
