// `looop [--json]` (the foreground loop), the hidden `looop _pulse` it runs in tmux, and `looop demo`.
import { context } from '../context.ts';
import type { Command } from './define.ts';
import { handle } from './define.ts';

export const pulseCommands: Command[] = [
  {
    command: '$0',
    describe:
      'run the loop in the FOREGROUND: bring the pulse up as the `pulse` window of the profile\'s tmux server, stream it, ' +
      'and on Ctrl-C (or SIGTERM, SIGHUP, the pulse dying) stop the pulse and every worker. A second `looop` on a ' +
      'profile whose pulse is alive follows it instead. Background it (looop &) to run unattended',
    builder: (y) => y.option('json', { type: 'boolean', describe: 'stream NDJSON events, one per line' }),
    handler: handle(async (a: { json?: boolean }) => {
      const { runForeground } = await import('../pulse/foreground.ts');
      return runForeground(context(), { json: Boolean(a.json) });
    }),
  },
  {
    command: '_pulse',
    describe: false,
    builder: (y) => y.option('json', { type: 'boolean' }).option('owner', { type: 'number' }),
    handler: handle(async (a: { json?: boolean; owner?: number }) => {
      const { runPulse } = await import('../pulse/loop.ts');
      return runPulse(context(), { json: Boolean(a.json), owner: a.owner ?? null });
    }),
  },
  {
    command: 'demo',
    describe: 'an offline demonstration on a throwaway profile: a scripted decider starts a worker in tmux, the worker raises a ⚑; you attach, answer it, and everything is cleaned up (no LLM, no API key)',
    builder: (y) => y.option('wait', { type: 'boolean', default: true, describe: 'wait for Enter before cleaning up (--no-wait: answer the worker and finish on its own)' }),
    handler: handle(async (a: { wait?: boolean }) => {
      const { runDemo } = await import('../pulse/demo.ts');
      return runDemo({ wait: a.wait !== false });
    }),
  },
];
