// `looop config bash|zsh` prints the completion scripts (embedded from completions/ at build time);
// the hidden `looop _complete ids|claims|runs` feeds them live names, fast (no yargs, no config).
import type { Command } from './define.ts';
import { handle } from './define.ts';
import type { FastSpec } from './fast.ts';
import { context } from '../context.ts';
import { UsageError } from '../errors.ts';

const SHELLS = ['bash', 'zsh'] as const;

async function config(args: { shell?: string }): Promise<number> {
  if (!args.shell || !(SHELLS as readonly string[]).includes(args.shell)) {
    throw new UsageError(`looop config ${SHELLS.join('|')} prints shell completion; e.g. eval "$(looop config ${args.shell === 'fish' ? 'bash' : 'zsh'})"`);
  }
  const { COMPLETIONS } = await import('../completions.ts');
  process.stdout.write(COMPLETIONS[args.shell as (typeof SHELLS)[number]]);
  return 0;
}

async function complete(args: { what: string }): Promise<number> {
  const ctx = context();
  let names: string[] = [];
  if (args.what === 'ids') {
    const { readWorkers } = await import('../fleet/windows.ts');
    names = (await readWorkers(ctx.paths.socket, ctx.env).catch(() => [])).map((w) => w.id);
  } else if (args.what === 'claims') {
    const { claimNames } = await import('../claims/read.ts');
    names = claimNames(ctx);
  } else if (args.what === 'runs') {
    const { runIds } = await import('../history/runs.ts');
    names = runIds(ctx.paths).sort().reverse();
  } else throw new UsageError('looop _complete ids|claims|runs');
  if (names.length) process.stdout.write(names.join('\n') + '\n');
  return 0;
}

export const fastComplete: FastSpec = { positionals: ['what'], run: (a) => complete(a as { what: string }) };
export const fastConfig: FastSpec = { positionals: ['shell'], run: (a) => config(a as { shell: string }) };

export const shellConfigCommands: Command[] = [
  {
    command: 'config [shell]',
    describe: 'print shell completion: eval "$(looop config zsh)" or eval "$(looop config bash)"',
    builder: (y) => y.positional('shell', { type: 'string', choices: SHELLS }),
    handler: handle(config),
  },
  { command: '_complete <what>', describe: false, handler: handle(complete) },
];
