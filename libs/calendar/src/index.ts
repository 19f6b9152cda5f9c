export { CalendarModule } from './calendar.module';
export { BusinessCalendar } from './business-calendar';
export { DEFAULT_COMPANY_HOLIDAYS } from './utils/company-holidays.util';
export { jstDateOf } from './utils/civil-date.util';
export type { CompanyHoliday } from './utils/company-holidays.util';
export type { DueExplanation } from './utils/business-time.util';
