/** Base of every coded domain error; each edge (HTTP, SMTP, CLI) maps codes once. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ConfigError extends DomainError {
  constructor(readonly variable: string, message: string) {
    super('config.invalid', `invalid setting ${message}`, { variable });
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string | number) {
    super('not_found', `${what} ${id} not found`, { what, id });
  }
}

/** Input that breaks a rule; `field` names what to fix. */
export class ValidationError extends DomainError {
  constructor(readonly field: string, message: string) {
    super('validation', message, { field });
  }
}
