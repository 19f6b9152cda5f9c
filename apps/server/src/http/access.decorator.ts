import { SetMetadata } from '@nestjs/common';
import { StaffRole } from '@kkd/staff';

export type AccessLevel = 'public' | StaffRole;
export const ACCESS_KEY = 'kkd:access';

/**
 * Every route states who may use it: 'public', or the lowest staff role allowed
 * (expert < manager < admin). A route without it is refused by AccessGuard.
 */
export const Access = (level: AccessLevel) => SetMetadata(ACCESS_KEY, level);
