// `looop tick`: run exactly one beat and exit (cron / systemd timers).
import type { Command } from './define.ts';
import { handle } from './define.ts';
import type { FastSpec } from './fast.ts';

interface TickArgs {
  json?: boolean;
  dryRun?: boolean;
  force?: boolean;
}

async function tick(args: TickArgs): Promise<number> {
  const { runTickCommand } = await import('../beat/tick-command.ts');
  return runTickCommand({ json: Boolean(args.json), dryRun: Boolean(args.dryRun), force: Boolean(args.force) });
}

export const fastTick: FastSpec = { booleans: ['json', 'dry-run', 'force'], run: tick };

export const tickCommands: Command[] = [
  {
    command: 'tick',
    describe: 'run exactly one beat (sense → diff → decide → act → log) and exit',
    builder: (y) =>
      y
        .option('json', { type: 'boolean', describe: 'print the beat as NDJSON events' })
        .option('dry-run', { type: 'boolean', describe: 'sense and diff, print what would happen; change nothing' })
        .option('force', { type: 'boolean', describe: 'decide now: ignore the backoff and the world hash once (budget and hourly cap still hold)' }),
    handler: handle(tick),
  },
];
