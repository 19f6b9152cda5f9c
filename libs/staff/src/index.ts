export { StaffModule } from './staff.module';
export { StaffService } from './staff.service';
export { SessionService } from './session.service';
export { StaffUser, STAFF_ROLES } from './entities/staff-user.entity';
export { InvalidCredentialsError, LoginThrottledError, StaffExistsError } from './staff.exception';
export { safeEqual } from './utils/secret-token.util';
export type { StaffRole } from './entities/staff-user.entity';
export type { ActiveSession } from './session.service';
export type { CreateStaffInput } from './staff.service';
