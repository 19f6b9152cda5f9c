export { MembershipModule } from './membership.module';
export { MemberRepository } from './member.repository';
export { MemberImportService } from './member-import.service';
export { MemberImportError } from './membership.exception';
export { Member, MEMBER_STATUSES } from './entities/member.entity';
export { MemberEmail } from './entities/member-email.entity';
export { memberDisplayName } from './utils/display-name.util';

export type { CsvEncoding, ImportResult } from './member-import.service';
export type { MemberStatus } from './entities/member.entity';
export type { CsvProblem } from './utils/parse-members-csv.util';
