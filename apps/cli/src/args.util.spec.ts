import { argsProblem, CommandArgs, parseArgs } from './args.util';

describe('parseArgs', () => {
  it('separates options and positional arguments', () => {
    expect(parseArgs(['users:create', '--email', 'a@x.jp', '--role=expert', '--password-stdin', 'extra'], ['password-stdin'])).toEqual({
      positional: ['users:create', 'extra'],
      options: { email: 'a@x.jp', role: 'expert', 'password-stdin': true },
    });
  });
});

describe('argsProblem', () => {
  const usersCreate: CommandArgs = { usage: 'users:create …', options: ['email', 'name', 'role', 'skills'], flags: ['password-stdin'], positional: [0, 0] };
  const ingest: CommandArgs = { usage: 'ingest <file.eml>...', positional: [1, Number.POSITIVE_INFINITY] };
  const problem = (spec: CommandArgs, argv: string[]) => {
    const { positional, options } = parseArgs(argv, ['password-stdin']);
    return argsProblem('cmd', spec, positional, options);
  };

  it.each([
    ['every documented option', usersCreate, ['--email', 'e@x.jp', '--name', 'N', '--role', 'expert', '--skills', 'ransomware,malware', '--password-stdin']],
    ['options written with =', usersCreate, ['--email=e@x.jp', '--role=admin']],
    ['several files', ingest, ['a.eml', 'b.eml', 'c.eml']],
  ])('accepts %s', (_name, spec, argv) => {
    expect(problem(spec, argv)).toBeNull();
  });

  it.each([
    ['an unknown option with a value', usersCreate, ['--email', 'e@x.jp', '--bogus', '1'], /^cmd: unknown option --bogus /],
    ['an unknown flag', usersCreate, ['--email', 'e@x.jp', '--force'], /unknown option --force/],
    ['a stray positional argument', usersCreate, ['--email', 'e@x.jp', 'extra'], /unexpected argument "extra"/],
    ['an option without its value', usersCreate, ['--email'], /--email needs a value/],
    ['a flag given a value', usersCreate, ['--password-stdin=yes'], /--password-stdin takes no value/],
    ['a missing positional argument', ingest, [], /^usage: ingest/],
    ['an option a command does not take', ingest, ['a.eml', '--encoding', 'sjis'], /unknown option --encoding/],
  ])('refuses %s', (_name, spec, argv, expected) => {
    expect(problem(spec, argv)).toMatch(expected);
  });
});
