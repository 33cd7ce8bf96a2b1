// `looop tick`: one beat, exit 0 when it skipped or acted, 1 when it failed, 3 when another beat holds the lock.
import { safeText } from '../sanitize-text.ts';
import { context } from '../context.ts';
import { printer } from '../events.ts';
import { runBeat } from './beat.ts';

export async function runTickCommand(opts: { json: boolean; dryRun: boolean }): Promise<number> {
  const ctx = context();
  const out = await runBeat(ctx, { emit: printer(opts.json), dryRun: opts.dryRun, who: 'tick' });
  if (out.result === 'failed') {
    // Also with --json: stdout carries the events, stderr the one line a script or cron mail shows.
    process.stderr.write(safeText(`looop: beat failed: ${out.reason}${out.runDir ? ` (run archive: ${out.runDir})` : ''}`) + '\n');
    return 1;
  }
  return 0;
}
