// `looop tick`: one beat, exit 0 when it skipped or acted, 1 when it failed or is held by a cause only
// the human can fix, 3 when another beat holds the lock. Inbox records not yet delivered go out after it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { safeText } from '../sanitize-text.ts';
import { context } from '../context.ts';
import { printer } from '../events.ts';
import { runBeat } from './beat.ts';

export async function runTickCommand(opts: { json: boolean; dryRun: boolean; force?: boolean }): Promise<number> {
  const ctx = context();
  const print = printer(opts.json);
  // A human sees a failure once: the stderr line below (with the run archive), not also a stdout copy.
  const emit: typeof print = opts.json ? print : (e) => (e.event === 'failed' ? undefined : print(e));
  if (opts.force && !opts.dryRun) {
    mkdirSync(ctx.paths.root, { recursive: true });
    writeFileSync(ctx.paths.forceNext, `${new Date().toISOString()} tick --force\n`);
  }
  const out = await runBeat(ctx, { emit, dryRun: opts.dryRun, who: 'tick' });
  if (!opts.dryRun) {
    const { deliverInbox } = await import('../inbox/deliver-here.ts');
    await deliverInbox(ctx, (message) => emit({ event: 'warn', message }));
  }
  if (out.result === 'failed' || out.blocked) {
    // Also with --json: stdout carries the events, stderr the one line a script or cron mail shows.
    process.stderr.write(safeText(`looop: beat ${out.blocked ? 'held' : 'failed'}: ${out.reason}${out.runDir ? ` (run archive: ${out.runDir})` : ''}`) + '\n');
    return 1;
  }
  return 0;
}
