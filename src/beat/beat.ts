// One beat: housekeeping → sense → diff → guards → decide → act → log. Level-triggered: everything
// is re-read from files and tmux; the beat returns the cadence it chose.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import dayjs from 'dayjs';
import { writeJsonAtomic } from '../atomic.ts';
import { loadConfig, type Config } from '../config.ts';
import type { Ctx } from '../context.ts';
import { ConfigError, LooopError, asUserError, errorMessage } from '../errors.ts';
import { loadIsland } from '../island.ts';
import type { Emit } from '../events.ts';
import type { Fleet } from '../fleet/types.ts';
import { childEnv } from '../paths.ts';
import { seedDataDir } from '../seed/seed.ts';
import { spentOn } from '../cost/ledger.ts';
import { IN_BEAT_ENV } from './by-hand.ts';
import { readTextOr } from '../atomic.ts';
import { clearHolds, noteHold, tryRecordInbox } from '../inbox/inbox.ts';
import { missingRunner } from './decide.ts';
import { chooseCadence } from './cadence.ts';
import { checkBackoff, checkBudget, checkRateCap, dueForRecheck, pendingWake, recordFailure } from './guards.ts';
import { LockLostError, withBeatLock, type BeatLock } from './lock.ts';
import { observe, type Observed } from './observe.ts';
import { save, state, unreadableGuardState } from './state.ts';
import { policyHash, updateFlaps, worldHash } from './world.ts';
import { envTunable } from '../tunables.ts';

/** A failure streak this long is told to the human (once per streak). */
const FAILING_STREAK = 3;

export type BeatResult = 'skipped' | 'acted' | 'failed' | 'held';

export interface BeatOutcome {
  result: BeatResult;
  /** Seconds until the next beat (busy / active / idle, or the one-shot override). */
  nextS: number;
  reason?: string;
  /** Held by a cause waiting cannot heal (config invalid, runner missing): rechecked each beat, no runner called. */
  blocked?: boolean;
  runId?: string;
  runDir?: string;
  prompt?: string;
}

export interface BeatOptions {
  emit: Emit;
  dryRun?: boolean;
  now?: () => Date;
  fleet?: Fleet;
  /** Lock label shown to a second beat ("tick" or "pulse"). */
  who?: string;
}

interface BodyOptions extends BeatOptions {
  lock?: BeatLock;
}

/** While held by a cause only the human can fix, the pulse looks again this often (no runner is called). */
export const HOLD_RECHECK_S = 5;

/** The hold key of causes waiting cannot heal. */
const BLOCKED = 'blocked';

/** Why the loop cannot decide at all, found without calling the runner; null when it can. */
export function blockedBy(config: Config, env: Record<string, string | undefined>): string | null {
  const spec = config.runners[config.default];
  if (!spec) return `default runner "${config.default}" is not defined in config runners (known: ${Object.keys(config.runners).join(', ')}); fix "default" in ${config.path}`;
  const missing = missingRunner(config.default, spec.tick, env);
  return missing ? `${missing}, or set "default" in ${config.path} to an installed runner` : null;
}

function holdBlocked(ctx: Ctx, opts: BeatOptions, reason: string, now: Date): void {
  opts.emit({ event: 'hold', reason });
  noteHold(ctx.paths, BLOCKED, { kind: 'held', title: 'the loop is held until you fix this', message: reason }, now);
}

/** The clock: LOOOP_NOW (ISO, for tests and replays) pins it. */
export function beatClock(env: NodeJS.ProcessEnv): () => Date {
  const pinned = env.LOOOP_NOW ? new Date(env.LOOOP_NOW) : null;
  if (pinned && !Number.isNaN(pinned.getTime())) return () => new Date(pinned.getTime());
  return () => new Date();
}

async function openFleet(ctx: Ctx, config: Config): Promise<Fleet> {
  const { createFleet } = await import('../fleet/index.ts');
  return createFleet(ctx, config);
}

export async function runBeat(ctx: Ctx, opts: BeatOptions): Promise<BeatOutcome> {
  let config: Config;
  try {
    config = await loadConfig(ctx.configPath, { cachePath: opts.dryRun ? null : ctx.paths.configCache });
  } catch (err) {
    if (!(err instanceof ConfigError) || opts.dryRun || !existsSync(ctx.paths.root)) throw err;
    // The pulse holds and looks again each beat; a one-shot tick says it on stderr as before.
    holdBlocked(ctx, opts, err.message, (opts.now ?? beatClock(ctx.env))());
    if (opts.who !== 'pulse') throw err;
    return { result: 'held', reason: err.message, blocked: true, nextS: HOLD_RECHECK_S };
  }
  try {
    mkdirSync(ctx.paths.root, { recursive: true });
  } catch (err) {
    throw new LooopError(`data dir ${ctx.paths.root} cannot be created: ${errorMessage(err)}`);
  }
  if (opts.dryRun) return beatBody(ctx, config, opts);
  return withBeatLock(ctx.paths, opts.who ?? 'tick', (lock) => beatBody(ctx, config, { ...opts, lock }), (msg) => opts.emit({ event: 'warn', message: msg })).catch((err) => {
    throw asUserError(err);
  });
}

async function beatBody(ctx: Ctx, config: Config, opts: BodyOptions): Promise<BeatOutcome> {
  const { emit } = opts;
  const p = ctx.paths;
  const now = (opts.now ?? beatClock(ctx.env))();
  const write = !opts.dryRun;
  const env = { ...process.env, ...ctx.env, ...childEnv(p, ctx.configPath, ctx.bin), [IN_BEAT_ENV]: '1' };
  // The profile's first beat (also in a data dir the person or the demo laid out beforehand).
  const first = !existsSync(p.lastBeat);
  const seeded = seedDataDir(p);
  if (seeded.length) emit({ event: 'seeded', files: seeded });
  if (seeded.length || first) {
    // First run makes the data dir the loop's memory, dry run or not: seeding is setup, not beat state.
    const { initMemory } = await loadIsland(() => import('./git-memory.ts'));
    const problem = await initMemory(p);
    if (problem) emit({ event: 'warn', message: problem });
  }
  if (!opts.dryRun) {
    const blocked = blockedBy(config, env);
    if (blocked) {
      holdBlocked(ctx, opts, blocked, now);
      try {
        save.lastBeat(p, { ts: now.toISOString(), result: 'held', reason: blocked, hash: '', next_s: HOLD_RECHECK_S, next_at: new Date(now.getTime() + HOLD_RECHECK_S * 1000).toISOString() });
      } catch {
        // status shows the hold from the inbox as well
      }
      return { result: 'held', reason: blocked, blocked: true, nextS: HOLD_RECHECK_S };
    }
    for (const ended of clearHolds(p, [BLOCKED])) {
      // The cause is fixed: the failures it caused no longer count.
      save.clearBackoff(p);
      emit({ event: 'resumed', reason: ended.reason });
      tryRecordInbox(p, { kind: 'resumed', title: 'the loop resumed', message: `fixed: ${ended.reason}` }, now);
    }
  }
  emit({ event: 'tick_start', ts: now.toISOString() });
  if (write && existsSync(p.acting)) {
    const { journalInterrupted } = await import('./interrupted.ts');
    const line = journalInterrupted(p, now);
    if (line) emit({ event: 'warn', message: `the previous beat died during its action; journaled: ${line.slice(19)}` });
  }
  // tick --force / poke: one beat that ignores the world hash and the backoff (the other guards still hold).
  const forced = write && existsSync(p.forceNext);
  if (forced) {
    rmSync(p.forceNext, { force: true });
    emit({ event: 'forced' });
  }
  const fleet = opts.fleet ?? (await openFleet(ctx, config));
  let seen: Observed;
  try {
    seen = await observe(ctx, config, fleet, emit, now, { write, env });
  } catch (err) {
    // tmux answering with an error, an unwritable snapshots folder: the world cannot be read, so no decision.
    const reason = `cannot observe the world: ${errorMessage(err)}`;
    emit({ event: 'failed', reason });
    if (write) {
      try {
        save.lastBeat(p, { ts: now.toISOString(), result: 'failed', reason, hash: '', next_s: config.interval, next_at: new Date(now.getTime() + config.interval * 1000).toISOString() });
      } catch {
        // the data dir itself is what is broken
      }
    }
    return { result: 'failed', reason, nextS: config.interval };
  }
  const hash = worldHash(seen.world);
  // Editing looop.json ends a backoff the way a PLAYBOOK edit does.
  const policy = policyHash(seen.world) + ':' + createHash('sha1').update(readTextOr(config.path, '')).digest('hex').slice(0, 12);
  const flaps = updateFlaps(state.flaps(p), seen.world.signals);
  for (const s of flaps.newlyFlapping) emit({ event: 'flapping', sensor: s, streak: flaps.next[s]!.streak });
  if (write) save.flaps(p, flaps.next);

  const workersAlive = seen.workers.some((w) => w.alive);
  const finish = (o: Omit<BeatOutcome, 'nextS'>, acted: boolean): BeatOutcome => {
    const override = write ? state.nextInterval(p) : null;
    if (override !== null && write) save.clearNextInterval(p);
    const nudge = state.nudge(p);
    // A wake-up already due when this beat began was this beat's to take; if it could not decide (held,
    // capped), hurrying the next beat would only repeat the hold every second.
    const dueInS = nudge ? (Date.parse(nudge.due) - now.getTime()) / 1000 : null;
    const wakeInS = dueInS !== null && dueInS > 0 ? dueInS : null;
    const c = chooseCadence({ acted, workersAlive, override, wakeInS, interval: config.interval, busyInterval: config.busyInterval, activeInterval: config.activeInterval });
    // A schedule coming due sooner wakes the loop exactly then (never later than the cadence).
    const dueS = seen.schedules.nextDueS;
    if (dueS !== null && dueS < c.seconds) c.seconds = dueS;
    if (write) {
      const next = new Date(now.getTime() + c.seconds * 1000);
      save.lastBeat(p, { ts: now.toISOString(), result: o.result, reason: o.reason, run_id: o.runId, hash, next_s: c.seconds, next_at: next.toISOString() });
    }
    return { ...o, nextS: c.seconds };
  };

  // Fail closed: guard state that cannot be read must never let the loop spend.
  const unreadable = unreadableGuardState(p);
  if (unreadable) {
    emit({ event: 'held', reason: unreadable });
    return finish({ result: 'held', reason: unreadable }, false);
  }

  // DIFF: same world as the last committed beat → skip, unless the decider has a result to see, asked to
  // be woken, or a quiet world is due for a RECHECK.
  const wake = pendingWake(state.lastShell(p), state.nudge(p), now);
  if (!forced && hash === state.lastHash(p) && wake) emit({ event: 'wake', reason: wake });
  else if (!forced && hash === state.lastHash(p)) {
    const since = dueForRecheck(state.lastDecision(p), hash, envTunable(ctx.env, 'LOOOP_NOOP_TTL'), now);
    if (since === null) {
      emit(opts.dryRun ? { event: 'dry_run', would: 'skip', hash } : { event: 'skip', reason: 'world unchanged', hash });
      return finish({ result: 'skipped', reason: 'world unchanged' }, false);
    }
    emit({ event: 'recheck', since_s: Math.round(since) });
  }

  // GUARDS: each one that holds the beat back says so.
  const backoffState = state.backoff(p);
  const backoff = forced ? { hold: false as const } : checkBackoff(backoffState, policy, now);
  if (backoff.hold) {
    emit({ event: 'backoff', failures: backoffState!.failures, wait_s: backoff.waitS, until: dayjs(backoff.until).format('HH:mm:ss') });
    return finish({ result: 'held', reason: `backoff after ${backoffState!.failures} failed beat(s)` }, false);
  }
  if (backoff.cut) emit({ event: 'backoff_cut', failures: backoffState!.failures, reason: backoff.cut });
  const rate = checkRateCap(state.decideTimes(p), config.maxDecisionsPerHour, now);
  if (rate.hold) {
    emit({ event: 'rate_cap', decisions: rate.recent.length, cap: config.maxDecisionsPerHour, until: dayjs(rate.until).format('HH:mm:ss') });
    if (write) noteHold(p, 'rate_cap', { kind: 'held', title: 'deciding paused: hourly decision cap reached', message: `${rate.recent.length}/${config.maxDecisionsPerHour} decisions in the last hour (max_decisions_per_hour); the loop decides again after ${dayjs(rate.until).format('HH:mm')}` }, now, 'hourly cap');
    return finish({ result: 'held', reason: 'decision rate cap' }, false);
  }
  const spent = config.maxDailyUsd === null ? 0 : spentOn(ctx, now);
  const budget = checkBudget(spent, config.maxDailyUsd, now);
  if (budget.hold) {
    emit({ event: 'budget', spent_usd: spent, cap_usd: config.maxDailyUsd!, until: dayjs(budget.until).format('YYYY-MM-DD HH:mm') });
    if (write) noteHold(p, 'budget', { kind: 'held', title: 'deciding paused: daily budget reached', message: `$${spent.toFixed(2)} of $${config.maxDailyUsd!.toFixed(2)} (max_daily_usd) spent today; the loop decides again after ${dayjs(budget.until).format('YYYY-MM-DD HH:mm')}` }, now, 'daily budget');
    return finish({ result: 'held', reason: 'daily budget reached' }, false);
  }

  if (write) {
    save.decideTimes(p, [...rate.recent, now.toISOString()]);
    clearHolds(p, ['rate_cap', 'budget']);
  }
  try {
    const { decideAndAct } = await loadIsland(() => import('./respond.ts'));
    const r = await decideAndAct({ ctx, config, fleet, emit, now, env, seen, hash, flapping: flaps.flapping, dryRun: Boolean(opts.dryRun), lockLost: opts.lock?.lost });
    if (r.dryRun) return { result: 'skipped', reason: 'dry run', nextS: 0, prompt: r.prompt };
    if (r.ok) {
      save.clearBackoff(p);
      save.clearLastFailure(p);
      return finish({ result: 'acted', runId: r.runId, runDir: p.run(r.runId) }, r.action !== 'noop');
    }
    const failing = recordFailure(backoffState, policy, now);
    save.backoff(p, failing);
    save.lastFailure(p, { reason: r.reason, ts: now.toISOString(), run_id: r.runId });
    if (failing.failures === FAILING_STREAK) tryRecordInbox(p, { kind: 'failing', title: `${FAILING_STREAK} beats failed in a row`, message: `last: ${r.reason} (looop runs show ${r.runId})` }, now);
    writeJsonAtomic(p.runResult(r.runId), { ts: now.toISOString(), result: 'failed', reason: r.reason });
    emit({ event: 'failed', reason: r.reason, run_id: r.runId, run_dir: p.run(r.runId) });
    return finish({ result: 'failed', reason: r.reason, runId: r.runId, runDir: p.run(r.runId) }, false);
  } catch (err) {
    // A beat that lost its lock writes nothing more: the state belongs to the beat that took it.
    if (err instanceof LockLostError) {
      emit({ event: 'failed', reason: err.message });
      return { result: 'failed', reason: err.message, nextS: config.interval };
    }
    // An internal failure (disk full, unwritable data dir) still fails only this beat.
    const reason = errorMessage(err);
    try {
      save.backoff(p, recordFailure(backoffState, policy, now));
      save.lastFailure(p, { reason, ts: now.toISOString() });
    } catch {
      // the data dir itself is what is broken
    }
    emit({ event: 'failed', reason });
    return { result: 'failed', reason, nextS: config.interval };
  }
}
