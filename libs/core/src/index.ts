export { CoreModule } from './core.module';
export { AppConfig, loadConfig } from './config/app-config';
export { ensureDataDir } from './config/data-dir.check';
export { Clock } from './clock';
export { ConfigError, DomainError, NotFoundError, ValidationError } from './core.exception';
export { InstantColumn } from './database/columns';
export { LeaseService } from './database/lease.service';
export { statementsTogether } from './database/statements-together.util';
export { isDatabaseUnavailable } from './database/database-unavailable.util';
export { isUniqueViolation } from './database/unique-violation.util';
export { DomainEvents } from './events/domain-events';
export type { DomainEventMap, DomainEventName } from './events/domain-events';
export { LeasedTicker } from './jobs/leased-ticker';
export { TransactionRunner } from './database/transaction-runner';
export { typeormOptions } from './database/typeorm-options';
export { appRoot, templatesDir } from './utils/app-paths.util';
export { formatJst, toJstIso } from './utils/japan-time.util';
export { parseInstant } from './utils/parse-instant.util';
export { isJstMonth, jstMonthOf, jstMonthRange, shiftJstMonth } from './utils/japan-month.util';
export { Setting } from './settings/setting.entity';
export { SettingsService } from './settings/settings.service';
export { integerSetting, textSetting } from './settings/setting-definition';
export type { SettingDefinition } from './settings/setting-definition';
export { DataFiles } from './storage/data-files';
export {
  escapeHtml, excerpt, excerptHtml, ftsExpression, ftsPhrase, highlight, identityTerms, likePattern, marked, matchSpans, normaliseForSearch, normaliseWithMap,
  searchableText, searchTerms, snippet, TRIGRAM_MIN,
} from './search/search-text.util';
export type { Excerpt, NormalisedText } from './search/search-text.util';
export { SEARCH_SENTINEL, TrigramSearch } from './search/trigram-search';
export type { SearchFilter, SearchHit, TrigramIndexDefinition, TrigramQuery } from './search/trigram-search';
