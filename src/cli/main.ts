// Verbs still declared as yargs CommandModules, during the move into table.ts (which explains how).
// yargs itself is never loaded: each module's builder runs against a recorder that notes its
// positionals, options and examples, so these verbs are parsed, documented and completed exactly
// like the table's.
import type { Opt, OptType, Pos, Verb } from './parse.ts';
import { takeExitCode, type Command } from './define.ts';
import { trustCommands } from './trust.ts';
import { scheduleFileCommands } from './schedules.ts';
import { resumeCommands } from './resume.ts';
import { humanCommands } from './human.ts';
import { explainCommands } from './explain.ts';

export type { Command };

// New verb groups: one line each here until they move into the table.
const groups: Command[][] = [scheduleFileCommands, resumeCommands, humanCommands, trustCommands, explainCommands];

type Rec = Record<string, unknown>;

function optType(o: Rec): OptType {
  const t = o.type;
  return t === 'boolean' || t === 'number' ? t : 'string';
}

/** One yargs CommandModule in the table's shape. */
export function fromYargs(cmd: Command): Verb {
  const specs = ([] as string[]).concat((cmd.command as string | string[] | undefined) ?? '');
  const [name, ...args] = specs[0]!.trim().split(/\s+/);
  const verb: Verb & { options: Record<string, Opt>; positionals: Record<string, Pos> } = {
    name: name!,
    aliases: [...specs.slice(1).map((s) => s.trim().split(/\s+/)[0]!), ...([] as string[]).concat((cmd.aliases as string | string[] | undefined) ?? [])],
    args: args.join(' ').replace(/(?<!\.)\.\.(?!\.)/g, '...'),
    describe: typeof cmd.describe === 'string' ? cmd.describe : false,
    options: {},
    positionals: {},
    examples: [],
    run: async (a) => {
      await (cmd.handler as (x: Rec) => unknown)({ ...a, _: [], $0: 'looop' });
      return takeExitCode();
    },
  };
  const subs: Verb[] = [];
  const option = (n: string, o: Rec = {}) => {
    verb.options[n] = {
      type: optType(o),
      describe: typeof o.describe === 'string' ? o.describe : typeof o.description === 'string' ? o.description : undefined,
      alias: typeof o.alias === 'string' && o.alias.length === 1 ? o.alias : undefined,
      default: o.default as Opt['default'],
      choices: o.choices as string[] | undefined,
    };
  };
  const y: Rec = new Proxy({} as Rec, {
    get: (_t, key) => (...a: unknown[]) => {
      if (key === 'option' || key === 'options') {
        if (typeof a[0] === 'string') option(a[0], a[1] as Rec);
        else for (const [n, o] of Object.entries((a[0] ?? {}) as Record<string, Rec>)) option(n, o);
      } else if (key === 'positional') {
        const o = (a[1] ?? {}) as Rec;
        verb.positionals[a[0] as string] = { describe: o.describe as string | undefined, choices: o.choices as string[] | undefined, default: o.default as string | undefined };
      } else if (key === 'example') verb.examples = [...(verb.examples ?? []), [String(a[0]), String(a[1] ?? '')]];
      else if (key === 'command') subs.push(fromYargs(a[0] as Command));
      return y;
    },
  });
  if (typeof cmd.builder === 'function') (cmd.builder as (y: unknown) => unknown)(y);
  else if (cmd.builder) for (const [n, o] of Object.entries(cmd.builder as Record<string, Rec>)) option(n, o);
  if (subs.length) verb.subcommands = subs;
  return verb;
}

export function compatVerbs(): Verb[] {
  return groups.flat().map(fromYargs);
}
