export { deliverOverSmtp, deliverManyOverOneConnection } from './smtp-test-client';
export { buildMail } from './mail-factory';
export { membersCsv } from './member-factory';
export { createTestDatabase, dropTestDatabase, testConfig } from './test-config';
export type { SmtpResult } from './smtp-test-client';
export type { TestMail } from './mail-factory';
