// `looop _pulse`: the beat loop, run as the `pulse` window of the profile's tmux server. Each beat
// returns its cadence; between beats the fleet is read once a second so flags and exits show at once.
import dayjs from 'dayjs';
import { runBeat } from '../beat/beat.ts';
import { loadConfig } from '../config.ts';
import type { Ctx } from '../context.ts';
import { errorMessage, LockedError } from '../errors.ts';
import { printer, type Emit } from '../events.ts';
import { isAlive, killTrees } from '../fleet/procs.ts';
import { info, readWorkers } from '../fleet/windows.ts';
import { fleetChanges, snapshot, type FleetSnapshot } from './fleet-changes.ts';
import { teardownFleet } from './teardown.ts';
import { sleep } from '../proc/sleep.ts';


async function beatOnce(ctx: Ctx, emit: Emit): Promise<{ nextS: number; reason: string }> {
  try {
    const out = await runBeat(ctx, { emit, who: 'pulse' });
    return { nextS: out.nextS, reason: out.result === 'acted' ? 'busy' : out.result };
  } catch (err) {
    const fallback = await loadConfig(ctx.configPath, { cachePath: ctx.paths.configCache }).then((c) => c.interval, () => 60);
    if (err instanceof LockedError) emit({ event: 'warn', message: `${err.message}; retrying next beat` });
    else emit({ event: 'failed', reason: errorMessage(err) });
    return { nextS: fallback, reason: 'after an error' };
  }
}

export async function runPulse(ctx: Ctx, opts: { json: boolean; owner: number | null }): Promise<number> {
  const emit = printer(opts.json);
  let stop: string | null = null;
  let leaving = false;
  const onSignal = async (sig: NodeJS.Signals) => {
    if (leaving) return;
    leaving = true;
    // Whatever the beat is running (runner, sensors, run_shell) goes with us; workers are the owner's call.
    emit({ event: 'pulse', state: 'down', detail: `stopped by ${sig}` });
    await killTrees([process.pid], 1000);
    process.exit(0);
  };
  for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.on(sig, onSignal);
  emit({ event: 'pulse', state: 'up', detail: `pid ${process.pid}${opts.owner ? `, started by pid ${opts.owner}` : ''}` });

  let seen: FleetSnapshot | null = null;
  const look = async () => {
    try {
      const next = snapshot((await readWorkers(ctx.paths.socket, ctx.env)).map(info));
      for (const e of fleetChanges(seen, next)) emit(e);
      seen = next;
    } catch {
      // The beat reports tmux failures itself; the watcher just tries again next second.
    }
    // The foreground that started us was killed without a chance to clean up: we do it.
    if (opts.owner && !isAlive(opts.owner)) stop = `the looop that started the pulse (pid ${opts.owner}) is gone`;
  };

  while (!stop) {
    const { nextS, reason } = await beatOnce(ctx, emit);
    await look();
    if (stop) break;
    const until = Date.now() + nextS * 1000;
    emit({ event: 'sleep', seconds: nextS, reason, next: dayjs(until).format('HH:mm:ss') });
    while (!stop && Date.now() < until) {
      await sleep(Math.min(1000, until - Date.now()));
      await look();
    }
  }
  emit({ event: 'pulse', state: 'down', detail: `${stop}; stopping every worker` });
  const { workers } = await teardownFleet(ctx, { pulse: false, reason: 'pulse stopped' });
  if (workers.length) emit({ event: 'warn', message: `stopped ${workers.join(', ')}` });
  return 0;
}
