import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@kkd/audit';
import { ApiToken } from './entities/api-token.entity';
import { LoginFailure } from './entities/login-failure.entity';
import { RecoveryCode } from './entities/recovery-code.entity';
import { Session } from './entities/session.entity';
import { StaffAbsence } from './entities/staff-absence.entity';
import { AbsenceService } from './absence.service';
import { StaffUser } from './entities/staff-user.entity';
import { LoginFailureRepository } from './login-failure.repository';
import { SessionService } from './session.service';
import { StaffAccountsService } from './staff-accounts.service';
import { StaffService } from './staff.service';
import { TotpService } from './totp.service';

@Module({
  imports: [TypeOrmModule.forFeature([StaffUser, ApiToken, Session, StaffAbsence, RecoveryCode, LoginFailure]), AuditModule],
  providers: [StaffService, SessionService, AbsenceService, TotpService, LoginFailureRepository, StaffAccountsService],
  exports: [StaffService, SessionService, AbsenceService, TotpService, StaffAccountsService],
})
export class StaffModule {}
