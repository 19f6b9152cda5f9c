import { DomainError } from '@kkd/core';
import { ConsultStatus } from './consult-codes';

export class StatusTransitionError extends DomainError {
  constructor(from: ConsultStatus, to: ConsultStatus) {
    super('consult.bad_transition', `a consult cannot go from ${from} to ${to}`, { field: 'status', from, to });
  }
}
