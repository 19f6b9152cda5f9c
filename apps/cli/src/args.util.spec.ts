import { parseArgs } from './args.util';

describe('parseArgs', () => {
  it('separates options and positional arguments', () => {
    expect(parseArgs(['users:create', '--email', 'a@x.jp', '--role=expert', '--password-stdin', 'extra'], ['password-stdin'])).toEqual({
      positional: ['users:create', 'extra'],
      options: { email: 'a@x.jp', role: 'expert', 'password-stdin': true },
    });
  });
});
