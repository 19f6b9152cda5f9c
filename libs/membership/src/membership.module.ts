import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Member } from './entities/member.entity';
import { MemberEmail } from './entities/member-email.entity';
import { MemberImportService } from './member-import.service';
import { MemberRepository } from './member.repository';

@Module({
  imports: [TypeOrmModule.forFeature([Member, MemberEmail])],
  providers: [MemberRepository, MemberImportService],
  exports: [MemberRepository, MemberImportService],
})
export class MembershipModule {}
