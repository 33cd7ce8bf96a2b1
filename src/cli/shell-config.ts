// `looop config bash|zsh` prints the completion scripts (embedded from completions/ at build time).
import type { Command } from './define.ts';
import { handle } from './define.ts';
import { UsageError } from '../errors.ts';
import { completeCommand } from './complete.ts';

const SHELLS = ['bash', 'zsh'] as const;

async function config(args: { shell?: string }): Promise<number> {
  if (!args.shell || !(SHELLS as readonly string[]).includes(args.shell)) {
    throw new UsageError(`looop config ${SHELLS.join('|')} prints shell completion; e.g. eval "$(looop config ${args.shell === 'fish' ? 'bash' : 'zsh'})"`);
  }
  const { COMPLETIONS } = await import('../completions.ts');
  process.stdout.write(COMPLETIONS[args.shell as (typeof SHELLS)[number]]);
  return 0;
}

export const shellConfigCommands: Command[] = [
  {
    command: 'config [shell]',
    describe: 'print shell completion: eval "$(looop config zsh)" or eval "$(looop config bash)"',
    // No `choices`: an unknown shell gets the one-line usage error above, not yargs' block.
    builder: (y) => y.positional('shell', { type: 'string', describe: 'bash | zsh' }),
    handler: handle(config),
  },
  completeCommand,
];
