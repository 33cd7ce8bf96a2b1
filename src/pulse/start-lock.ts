// Two `looop` started at the same moment must not both start a pulse: looking for a live pulse and
// opening one happen under this lock, so the second one finds the first one's pulse and follows it.
import { mkdirSync } from 'node:fs';
import lockfile from 'proper-lockfile';
import type { Ctx } from '../context.ts';
import { LooopError } from '../errors.ts';

export async function lockPulseStart(ctx: Pick<Ctx, 'paths'>): Promise<() => Promise<void>> {
  mkdirSync(ctx.paths.root, { recursive: true });
  try {
    return await lockfile.lock(ctx.paths.root, {
      lockfilePath: ctx.paths.pulseStartLock,
      realpath: false,
      stale: 10_000,
      update: 2000,
      retries: { retries: 100, factor: 1, minTimeout: 150, maxTimeout: 150 },
    });
  } catch (err) {
    throw new LooopError(`cannot start the pulse: another looop has been starting one on this profile for 15 s (${(err as Error).message})`);
  }
}
