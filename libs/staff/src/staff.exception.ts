import { DomainError, ValidationError } from '@kkd/core';

/** Wrong address or wrong password: one message for both, so accounts cannot be probed. */
export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('auth.invalid_credentials', 'メールアドレスまたはパスワードが正しくありません。');
  }
}

export class LoginThrottledError extends DomainError {
  constructor() {
    super('auth.throttled', 'ログインの失敗が続いたため、しばらくしてからお試しください。');
  }
}

export class StaffExistsError extends DomainError {
  constructor(email: string) {
    super('staff.exists', `a staff account for ${email} already exists`);
  }
}

/** A new password breaks a rule: a Japanese message for the console, the rule and an English reason for the command line. */
export class WeakPasswordError extends ValidationError {
  constructor(readonly rule: string, message: string, readonly reason: string) {
    super('password', message);
  }
}
