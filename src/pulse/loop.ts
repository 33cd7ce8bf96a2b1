// `looop _pulse`: the beat loop, run as the `pulse` window of the profile's tmux server. Each beat
// returns its cadence; between beats the fleet is read once a second so flags and exits show at once,
// and a transition the decider must see (a turn ended, a question, an exit, a loss) starts a beat now.
import dayjs from 'dayjs';
import { runBeat } from '../beat/beat.ts';
import { loadConfig } from '../config.ts';
import type { Ctx } from '../context.ts';
import { errorMessage, LockedError } from '../errors.ts';
import { printer, type Emit, type Event } from '../events.ts';
import { isAlive, killTrees } from '../fleet/procs.ts';
import { perceiveInfos } from '../fleet/perceive.ts';
import { readWorkers } from '../fleet/windows.ts';
import { existsSync } from 'node:fs';
import { InboxTail } from '../inbox/inbox.ts';
import { fleetChanges, snapshot, type FleetSnapshot } from './fleet-changes.ts';
import { teardownFleet } from './teardown.ts';
import { statSync } from 'node:fs';
import { readSchedules, secondsToNextDue } from '../schedules/store.ts';
import { sleep } from '../proc/sleep.ts';

const LOOK_MS = 1000;
const WAKE_GAP_MS = 1000;

async function beatOnce(ctx: Ctx, emit: Emit): Promise<{ nextS: number; reason: string; blocked?: string }> {
  try {
    const out = await runBeat(ctx, { emit, who: 'pulse' });
    if (out.blocked) return { nextS: out.nextS, reason: 'held', blocked: out.reason };
    return { nextS: out.nextS, reason: out.result === 'acted' ? 'busy' : out.result };
  } catch (err) {
    const fallback = await loadConfig(ctx.configPath, { cachePath: ctx.paths.configCache }).then((c) => c.interval, () => 60);
    if (err instanceof LockedError) emit({ event: 'warn', message: `${err.message}; retrying next beat` });
    else emit({ event: 'failed', reason: errorMessage(err) });
    return { nextS: fallback, reason: 'after an error' };
  }
}

/** Changes whenever a schedule file is written or removed (rename into the folder bumps its mtime). */
function schedulesStamp(ctx: Ctx): number {
  try {
    return statSync(ctx.paths.schedules).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * The pulse's stream: a hold is said once (the pulse rechecks it every few seconds), and an inbox record
 * the stream already showed as its own event (a flag from the fleet, this pulse's notification) is not repeated.
 */
export function pulseStream(out: Emit): { emit: Emit; inbox: (e: Extract<Event, { event: 'inbox' }>) => void } {
  let held: string | null = null;
  const notified: string[] = [];
  const said = new Set<string>();
  const emit: Emit = (e) => {
    if (e.event === 'hold') {
      if (e.reason === held) return;
      held = e.reason;
      said.add(e.reason);
    } else if (e.event === 'resumed') {
      held = null;
      said.add(`fixed: ${e.reason}`);
    } else if (e.event === 'sleep' && held !== null) return;
    if (e.event === 'notify') notified.push(e.message);
    out(e);
  };
  const inbox = (e: Extract<Event, { event: 'inbox' }>) => {
    // flags come from the fleet's own reading, every second, whoever raised them
    if (e.kind === 'flag' || e.kind === 'flag_cleared') return;
    const i = e.kind === 'notify' ? notified.indexOf(e.message) : -1;
    if (i >= 0) return void notified.splice(i, 1);
    if ((e.kind === 'held' || e.kind === 'resumed') && said.has(e.message)) return;
    out(e);
  };
  return { emit, inbox };
}

export async function runPulse(ctx: Ctx, opts: { json: boolean; owner: number | null }): Promise<number> {
  const stream = pulseStream(printer(opts.json));
  const emit = stream.emit;
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
  // Records written by anyone (a cron tick, a hand-run verb, a worker) reach the stream within a second,
  // and notify_command, even while a beat is deciding.
  const tail = new InboxTail(ctx.paths.inbox);
  let delivering = false;
  const watchInbox = async () => {
    try {
      for (const r of tail.poll()) stream.inbox({ event: 'inbox', n: r.n, kind: r.kind, title: r.title, message: r.message, ...(r.worker ? { worker: r.worker } : {}) });
    } catch {
      // an unreadable inbox is tried again next second
    }
    if (delivering) return;
    delivering = true;
    try {
      const { deliverInbox } = await import('../inbox/deliver-here.ts');
      await deliverInbox(ctx, (message) => emit({ event: 'warn', message }));
    } catch {
      // delivery is retried next second
    } finally {
      delivering = false;
    }
  };
  const inboxTimer = setInterval(() => void watchInbox(), 1000);
  let wake = false;
  const look = async () => {
    try {
      const next = snapshot(await perceiveInfos(ctx, await readWorkers(ctx.paths.socket, ctx.env), { write: true }));
      for (const e of fleetChanges(seen, next)) {
        emit(e);
        if ((e.event === 'worker_state' && e.wake) || (e.event === 'worker_verify' && e.status !== 'running')) wake = true;
      }
      seen = next;
    } catch {
      // The beat reports tmux failures itself; the watcher just tries again next second.
    }
    // The foreground that started us was killed without a chance to clean up: we do it.
    if (opts.owner && !isAlive(opts.owner)) stop = `the looop that started the pulse (pid ${opts.owner}) is gone`;
  };

  while (!stop) {
    wake = false;
    const { nextS, reason } = await beatOnce(ctx, emit);
    await look();
    if (stop) break;
    let until = Date.now() + nextS * 1000;
    // A transition seen while the beat ran is for the beat after it: debounced to one beat a second.
    const earliest = Date.now() + WAKE_GAP_MS;
    emit({ event: 'sleep', seconds: nextS, reason, next: dayjs(until).format('HH:mm:ss') });
    let schedulesSeen = schedulesStamp(ctx);
    // `looop poke` / `tick --force` leave the one-shot file: wake now.
    while (!stop && Date.now() < until && !(wake && Date.now() >= earliest) && !existsSync(ctx.paths.forceNext)) {
      await sleep(Math.max(0, Math.min(wake ? earliest - Date.now() : LOOK_MS, until - Date.now())));
      if (!(wake && Date.now() >= earliest)) await look();
      // A schedule added meanwhile (by hand, or by a cron tick) may be due before the planned beat.
      const stamp = schedulesStamp(ctx);
      if (stamp !== schedulesSeen) {
        schedulesSeen = stamp;
        const dueS = secondsToNextDue(readSchedules(ctx.paths).schedules, new Date());
        if (dueS !== null) until = Math.min(until, Date.now() + dueS * 1000);
      }
    }
  }
  clearInterval(inboxTimer);
  emit({ event: 'pulse', state: 'down', detail: `${stop}; stopping every worker` });
  const { workers } = await teardownFleet(ctx, { pulse: false, reason: 'pulse stopped' });
  if (workers.length) emit({ event: 'warn', message: `stopped ${workers.join(', ')}` });
  return 0;
}
