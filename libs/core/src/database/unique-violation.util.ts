import { QueryFailedError } from 'typeorm';

/** True for a unique-key violation on SQLite (SQLITE_CONSTRAINT … UNIQUE) or PostgreSQL (23505). */
export function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const driver = err.driverError as { code?: string; message?: string } | undefined;
  return driver?.code === '23505' || (driver?.code === 'SQLITE_CONSTRAINT' && /UNIQUE/.test(driver.message ?? err.message));
}
