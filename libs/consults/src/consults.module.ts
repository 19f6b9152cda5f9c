import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarModule } from '@kkd/calendar';
import { MailModule } from '@kkd/mail';
import { MembershipModule } from '@kkd/membership';
import { StaffModule } from '@kkd/staff';
import { ConsultMergeService } from './consult-merge.service';
import { ConsultRepository } from './consult.repository';
import { ConsultSearchIndexer } from './consult-search-indexer.service';
import { ConsultSearchRepository } from './consult-search.repository';
import { ConsultSearchService } from './consult-search.service';
import { ConsultsService } from './consults.service';
import { Attachment } from './entities/attachment.entity';
import { Consult } from './entities/consult.entity';
import { ConsultEvent } from './entities/consult-event.entity';
import { Message } from './entities/message.entity';
import { ConsultSearchIndexJob } from './jobs/consult-search-index.job';

@Module({
  imports: [TypeOrmModule.forFeature([Consult, Message, Attachment, ConsultEvent]), CalendarModule, MailModule, MembershipModule, StaffModule],
  providers: [ConsultRepository, ConsultsService, ConsultMergeService, ConsultSearchRepository, ConsultSearchService, ConsultSearchIndexer, ConsultSearchIndexJob],
  exports: [ConsultRepository, ConsultsService, ConsultMergeService, ConsultSearchIndexer, ConsultSearchIndexJob],
})
export class ConsultsModule {}
