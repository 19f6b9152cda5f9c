/** Splits `--name value` / `--flag` options from positional arguments; `flags` take no value. */
export function parseArgs(argv: string[], flags: string[] = []): { positional: string[]; options: Record<string, string | true> } {
  const positional: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (inline !== undefined) options[name] = inline;
    else if (!flags.includes(name) && i + 1 < argv.length && !argv[i + 1].startsWith('--')) options[name] = argv[++i];
    else options[name] = true;
  }
  return { positional, options };
}

/** The arguments a command takes: options with a value, flags without one, and how many positional ones. */
export interface CommandArgs {
  options?: readonly string[];
  flags?: readonly string[];
  positional: readonly [min: number, max: number];
  usage: string;
}

/**
 * Why `args`/`options` do not fit the command, or null. An operator's typo (`--emial`, a stray
 * word) must stop the command rather than be ignored: `tokens:create --email E --role admin`
 * would otherwise issue a token as if the role had been checked.
 */
export function argsProblem(command: string, spec: CommandArgs, args: string[], options: Record<string, string | true>): string | null {
  for (const [name, value] of Object.entries(options)) {
    if (spec.flags?.includes(name)) {
      if (value !== true) return `${command}: --${name} takes no value`;
    } else if (!spec.options?.includes(name)) {
      return `${command}: unknown option --${name} (usage: ${spec.usage})`;
    } else if (value === true) {
      return `${command}: --${name} needs a value (usage: ${spec.usage})`;
    }
  }
  const [min, max] = spec.positional;
  if (args.length > max) return `${command}: unexpected argument ${JSON.stringify(args[max])} (usage: ${spec.usage})`;
  if (args.length < min) return `usage: ${spec.usage}`;
  return null;
}
