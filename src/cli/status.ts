// `looop status [--json]`: pulse, last and next beat, backoff, spend, workers with flags, leases, timer, attach command.
import { context } from '../context.ts';
import { useColor } from '../events.ts';

export async function status(args: { json?: boolean }): Promise<number> {
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
