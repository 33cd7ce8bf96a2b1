// One beat: housekeeping → sense → diff → guards → decide → act → log. Level-triggered: everything
// is re-read from files and tmux; the beat returns the cadence it chose.
import { existsSync, mkdirSync } from 'node:fs';
import dayjs from 'dayjs';
import { writeJsonAtomic } from '../atomic.ts';
import { loadConfig, type Config } from '../config.ts';
import type { Ctx } from '../context.ts';
import { LooopError, asUserError, errorMessage } from '../errors.ts';
import type { Emit } from '../events.ts';
import type { Fleet } from '../fleet/types.ts';
import { childEnv } from '../paths.ts';
import { seedDataDir } from '../seed/seed.ts';
import { spentOn } from '../cost/ledger.ts';
import { chooseCadence } from './cadence.ts';
import { checkBackoff, checkBudget, checkRateCap, dueForRecheck, recordFailure } from './guards.ts';
import { withBeatLock } from './lock.ts';
import { observe, type Observed } from './observe.ts';
import { save, state } from './state.ts';
import { policyHash, updateFlaps, worldHash } from './world.ts';
import { envTunable } from '../tunables.ts';

export type BeatResult = 'skipped' | 'acted' | 'failed' | 'held';

export interface BeatOutcome {
  result: BeatResult;
  /** Seconds until the next beat (busy / active / idle, or the one-shot override). */
  nextS: number;
  reason?: string;
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
  const config = await loadConfig(ctx.configPath, { cachePath: opts.dryRun ? null : ctx.paths.configCache });
  try {
    mkdirSync(ctx.paths.root, { recursive: true });
  } catch (err) {
    throw new LooopError(`data dir ${ctx.paths.root} cannot be created: ${errorMessage(err)}`);
  }
  const run = () => beatBody(ctx, config, opts);
  if (opts.dryRun) return run();
  return withBeatLock(ctx.paths, opts.who ?? 'tick', run, (msg) => opts.emit({ event: 'warn', message: msg })).catch((err) => {
    throw asUserError(err);
  });
}

async function beatBody(ctx: Ctx, config: Config, opts: BeatOptions): Promise<BeatOutcome> {
  const { emit } = opts;
  const p = ctx.paths;
  const now = (opts.now ?? beatClock(ctx.env))();
  const write = !opts.dryRun;
  emit({ event: 'tick_start', ts: now.toISOString() });
  const seeded = seedDataDir(p);
  if (seeded.length) {
    emit({ event: 'seeded', files: seeded });
    // First run makes the data dir the loop's memory, dry run or not: seeding is setup, not beat state.
    const { initMemory } = await import('./git-memory.ts');
    const problem = await initMemory(p);
    if (problem) emit({ event: 'warn', message: problem });
  }
  if (write && existsSync(p.acting)) {
    const { journalInterrupted } = await import('./interrupted.ts');
    const line = journalInterrupted(p, now);
    if (line) emit({ event: 'warn', message: `the previous beat died during its action; journaled: ${line.slice(19)}` });
  }
  const env = { ...process.env, ...ctx.env, ...childEnv(p, ctx.configPath, ctx.bin) };
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
  const policy = policyHash(seen.world);
  const flaps = updateFlaps(state.flaps(p), seen.world.signals);
  for (const s of flaps.newlyFlapping) emit({ event: 'flapping', sensor: s, streak: flaps.next[s]!.streak });
  if (write) save.flaps(p, flaps.next);

  const workersAlive = seen.workers.some((w) => w.alive);
  const finish = (o: Omit<BeatOutcome, 'nextS'>, acted: boolean): BeatOutcome => {
    const override = write ? state.nextInterval(p) : null;
    if (override !== null && write) save.clearNextInterval(p);
    const c = chooseCadence({ acted, workersAlive, override, interval: config.interval, busyInterval: config.busyInterval, activeInterval: config.activeInterval });
    if (write) {
      const next = new Date(now.getTime() + c.seconds * 1000);
      save.lastBeat(p, { ts: now.toISOString(), result: o.result, reason: o.reason, run_id: o.runId, hash, next_s: c.seconds, next_at: next.toISOString() });
    }
    return { ...o, nextS: c.seconds };
  };

  // DIFF: same world as the last committed beat → skip, unless a quiet world is due for a RECHECK.
  if (hash === state.lastHash(p)) {
    const since = dueForRecheck(state.lastDecision(p), hash, envTunable(ctx.env, 'LOOOP_NOOP_TTL'), now);
    if (since === null) {
      emit(opts.dryRun ? { event: 'dry_run', would: 'skip', hash } : { event: 'skip', reason: 'world unchanged', hash });
      return finish({ result: 'skipped', reason: 'world unchanged' }, false);
    }
    emit({ event: 'recheck', since_s: Math.round(since) });
  }

  // GUARDS: each one that holds the beat back says so.
  const backoffState = state.backoff(p);
  const backoff = checkBackoff(backoffState, policy, now);
  if (backoff.hold) {
    emit({ event: 'backoff', failures: backoffState!.failures, wait_s: backoff.waitS, until: dayjs(backoff.until).format('HH:mm:ss') });
    return finish({ result: 'held', reason: `backoff after ${backoffState!.failures} failed beat(s)` }, false);
  }
  if (backoff.cut) emit({ event: 'backoff_cut', failures: backoffState!.failures, reason: backoff.cut });
  const rate = checkRateCap(state.decideTimes(p), config.maxDecisionsPerHour, now);
  if (rate.hold) {
    emit({ event: 'rate_cap', decisions: rate.recent.length, cap: config.maxDecisionsPerHour, until: dayjs(rate.until).format('HH:mm:ss') });
    return finish({ result: 'held', reason: 'decision rate cap' }, false);
  }
  const spent = config.maxDailyUsd === null ? 0 : spentOn(ctx, now);
  const budget = checkBudget(spent, config.maxDailyUsd, now);
  if (budget.hold) {
    emit({ event: 'budget', spent_usd: spent, cap_usd: config.maxDailyUsd!, until: dayjs(budget.until).format('YYYY-MM-DD HH:mm') });
    return finish({ result: 'held', reason: 'daily budget reached' }, false);
  }

  if (write) save.decideTimes(p, [...rate.recent, now.toISOString()]);
  try {
    const { decideAndAct } = await import('./respond.ts');
    const r = await decideAndAct({ ctx, config, fleet, emit, now, env, seen, hash, flapping: flaps.flapping, dryRun: Boolean(opts.dryRun) });
    if (r.dryRun) return { result: 'skipped', reason: 'dry run', nextS: 0, prompt: r.prompt };
    if (r.ok) {
      save.clearBackoff(p);
      save.clearLastFailure(p);
      return finish({ result: 'acted', runId: r.runId, runDir: p.run(r.runId) }, r.action !== 'noop');
    }
    save.backoff(p, recordFailure(backoffState, policy, now));
    save.lastFailure(p, { reason: r.reason, ts: now.toISOString(), run_id: r.runId });
    writeJsonAtomic(p.runResult(r.runId), { ts: now.toISOString(), result: 'failed', reason: r.reason });
    emit({ event: 'failed', reason: r.reason, run_id: r.runId, run_dir: p.run(r.runId) });
    return finish({ result: 'failed', reason: r.reason, runId: r.runId, runDir: p.run(r.runId) }, false);
  } catch (err) {
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
