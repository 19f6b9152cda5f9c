import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@kkd/audit';
import { MailModule } from '@kkd/mail';
import { StaffModule } from '@kkd/staff';
import { ContractSweepService } from './contract-sweep.service';
import { ContractService } from './contract.service';
import { ContractEvent } from './entities/contract-event.entity';
import { ContractReminder } from './entities/contract-reminder.entity';
import { Member } from './entities/member.entity';
import { MemberEmail } from './entities/member-email.entity';
import { ContractSweepJob } from './jobs/contract-sweep.job';
import { IdentityMaskService } from './identity-mask.service';
import { MemberIdentityService } from './member-identity.service';
import { MemberImportService } from './member-import.service';
import { MemberRepository } from './member.repository';

@Module({
  imports: [TypeOrmModule.forFeature([Member, MemberEmail, ContractEvent, ContractReminder]), AuditModule, MailModule, StaffModule],
  providers: [MemberRepository, MemberImportService, MemberIdentityService, IdentityMaskService, ContractService, ContractSweepService, ContractSweepJob],
  exports: [MemberRepository, MemberImportService, MemberIdentityService, IdentityMaskService, ContractService, ContractSweepService, ContractSweepJob],
})
export class MembershipModule {}
