import type { BusinessCalendar } from './business-calendar';

declare module '@kkd/core' {
  interface DomainEventMap {
    /**
     * A manager added, changed or removed a company closing: `calendar` is the business calendar
     * with the closings as written in the emitter's transaction (the shared one is refreshed
     * after the commit), so that stored due times can be computed again by it.
     */
    'calendar.company_holidays_changed': { calendar: BusinessCalendar };
  }
}
