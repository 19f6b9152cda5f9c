import { DomainError } from '@kkd/core';

/** Intake could not make the mail durable: the sending server should retry (SMTP 451). */
export class IntakeTemporaryError extends DomainError {
  constructor(cause: string) {
    super('intake.temporary', `intake failed, try again later: ${cause}`);
  }
}
