import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConsultsModule } from '@kkd/consults';
import { MailModule } from '@kkd/mail';
import { MembershipModule } from '@kkd/membership';
import { FaqEntry } from './entities/faq-entry.entity';
import { FaqVersion } from './entities/faq-version.entity';
import { MemberLoginToken } from './entities/member-login-token.entity';
import { MemberSession } from './entities/member-session.entity';
import { FaqPromotionService } from './faq-promotion.service';
import { FaqSearchRepository } from './faq-search.repository';
import { FaqSearchService } from './faq-search.service';
import { FaqWorkflowService } from './faq-workflow.service';
import { FaqRepository } from './faq.repository';
import { IdentityContextService } from './identity-context.service';
import { MemberSignInService } from './member-sign-in.service';

@Module({
  imports: [TypeOrmModule.forFeature([FaqEntry, FaqVersion, MemberLoginToken, MemberSession]), ConsultsModule, MembershipModule, MailModule],
  providers: [FaqRepository, FaqSearchRepository, IdentityContextService, FaqPromotionService, FaqWorkflowService, FaqSearchService, MemberSignInService],
  exports: [FaqRepository, FaqPromotionService, FaqWorkflowService, FaqSearchService, MemberSignInService],
})
export class KnowledgeBaseModule {}
