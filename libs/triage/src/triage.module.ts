import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConsultsModule } from '@kkd/consults';
import { TriageRuleRow } from './entities/triage-rule.entity';
import { SimilarConsultsService } from './similar-consults.service';
import { TriageService } from './triage.service';

@Module({
  imports: [TypeOrmModule.forFeature([TriageRuleRow]), ConsultsModule],
  providers: [TriageService, SimilarConsultsService],
  exports: [TriageService, SimilarConsultsService],
})
export class TriageModule {}
