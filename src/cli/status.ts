// `looop status [--json]`: pulse, last and next beat, backoff, spend, workers with flags, leases, timer, attach command.
import type { Command } from './define.ts';
import { handle } from './define.ts';
import { context } from '../context.ts';
import { useColor } from '../events.ts';

async function status(args: { json?: boolean }): Promise<number> {
  const ctx = context();
  const { gatherStatus } = await import('../status/gather.ts');
  const report = await gatherStatus(ctx);
  if (args.json) process.stdout.write(JSON.stringify(report) + '\n');
  else {
    const { formatStatus } = await import('../status/format.ts');
    process.stdout.write(formatStatus(report, useColor()));
  }
  return 0;
}

export const statusCommands: Command[] = [
  {
    command: 'status',
    describe: 'the whole story on one screen: pulse, last/next beat, backoff, spend, workers and flags, leases, timer, attach command',
    builder: (y) => y.option('json', { type: 'boolean', describe: 'one JSON document (stable keys)' }),
    handler: handle(status),
  },
];
