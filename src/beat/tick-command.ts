// `looop tick`: one beat, exit 0 when it skipped or acted, 1 when it failed, 3 when another beat holds the lock.
import { context } from '../context.ts';
import { printer } from '../events.ts';
import { runBeat } from './beat.ts';

export async function runTickCommand(opts: { json: boolean; dryRun: boolean }): Promise<number> {
  const ctx = context();
  const print = printer(opts.json);
  // A human sees a failure once: the stderr line below (with the run archive), not also a stdout copy.
  const emit: typeof print = opts.json ? print : (e) => (e.event === 'failed' ? undefined : print(e));
  const out = await runBeat(ctx, { emit, dryRun: opts.dryRun, who: 'tick' });
  if (out.result === 'failed') {
    // Also with --json: stdout carries the events, stderr the one line a script or cron mail shows.
    process.stderr.write(`looop: beat failed: ${out.reason}${out.runDir ? ` (run archive: ${out.runDir})` : ''}\n`);
    return 1;
  }
  return 0;
}
