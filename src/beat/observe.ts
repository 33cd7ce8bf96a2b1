// Housekeeping + SENSE + the world: everything a beat reads before it decides anything.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { readTextOr } from '../atomic.ts';
import type { Config } from '../config.ts';
import type { Ctx } from '../context.ts';
import type { Emit } from '../events.ts';
import type { Fleet, WorkerInfo } from '../fleet/types.ts';
import { idProblem } from '../ids.ts';
import { listClaims, reapClaims } from '../claims/index.ts';
import { wakePart } from './canonical.ts';
import { appendJournal } from './journal.ts';
import { type Reading, publishSystemReading, senseAll, senseLimits } from './sense.ts';
import type { World } from './world.ts';

export interface Observed {
  world: World;
  goals: Array<{ id: string; body: string }>;
  readings: Reading[];
  workers: WorkerInfo[];
}

/** goals/*.md (not the archive): regular files with valid ids, sorted. */
export function readGoals(ctx: Ctx): Array<{ id: string; body: string }> {
  let files: string[] = [];
  try {
    files = readdirSync(ctx.paths.goals);
  } catch {
    return [];
  }
  const goals: Array<{ id: string; body: string }> = [];
  for (const f of files.sort()) {
    if (!f.endsWith('.md')) continue;
    const id = f.slice(0, -3);
    if (idProblem(id)) continue;
    const path = ctx.paths.goal(id);
    try {
      if (!lstatSync(path).isFile()) continue;
      goals.push({ id, body: readFileSync(path, 'utf8') });
    } catch {
      // vanished
    }
  }
  return goals;
}

export function sessionsReading(workers: WorkerInfo[]): unknown {
  const sorted = [...workers].sort((a, b) => a.id.localeCompare(b.id));
  // The signal changes only when a worker changes state (so the hash wakes the decider then); the
  // detail carries what moves all the time (ages, the source, the last lines it said).
  return {
    signal: sorted.map((w) => ({
      id: w.id,
      state: w.state,
      alive: w.alive,
      exit_code: w.exit_code,
      ...(w.alive && w.flag !== null ? { note: w.flag || '(flagged)' } : {}),
      ...(w.state === 'lost' && w.since ? { lost_since: new Date(w.since * 1000).toISOString() } : {}),
    })),
    detail: sorted.map((w) => ({ id: w.id, source: w.source, age_s: w.age_s, idle_s: w.idle_s, pid: w.pid, ...(w.said ? { said: w.said } : {}) })),
  };
}

export async function observe(ctx: Ctx, config: Config, fleet: Fleet, emit: Emit, now: Date, opts: { write: boolean; env: NodeJS.ProcessEnv }): Promise<Observed> {
  const p = ctx.paths;
  let workers = await fleet.list();
  if (opts.write) {
    const reaped = await fleet.reapFinished(config.sessionTtl);
    for (const id of reaped) emit({ event: 'reap', what: 'window', id, reason: `finished more than ${config.sessionTtl}s ago` });
    if (reaped.length) workers = workers.filter((w) => !reaped.includes(w.id));
    const live = new Set(workers.filter((w) => w.alive).map((w) => w.id));
    // A lease that outlived its owner is journaled: it changes who may take the task.
    for (const c of await reapClaims(ctx, (s) => live.has(s), now)) {
      emit({ event: 'reap', what: 'claim', id: c.name, reason: c.reason });
      appendJournal(p, `reaped lease ${c.name} held by ${c.session}: ${c.reason}`, now);
    }
  }
  const started = Date.now();
  const readings = await senseAll(p, opts.env, senseLimits(ctx.env), now, opts.write);
  const claims = await listClaims(ctx);
  const sys = [
    { name: 'sys-sessions', value: sessionsReading(workers) },
    {
      name: 'sys-claims',
      value: {
        signal: claims.map((c) => ({ name: c.name, session: c.session })),
        detail: claims.map((c) => ({ name: c.name, ts: c.ts, expires_at: c.expires_at, note: c.note })),
      },
    },
  ];
  for (const s of sys) readings.push(publishSystemReading(p, s.name, s.value, opts.write));
  const failed = readings.filter((r) => r.failed);
  for (const r of failed) emit({ event: 'sensor_failed', sensor: r.name, reason: r.reason ?? 'failed' });
  emit({ event: 'sense', sensors: readings.length, ran: readings.filter((r) => r.ran).length, failed: failed.map((r) => r.name), ms: Date.now() - started });

  const goals = readGoals(ctx);
  const world: World = {
    playbook: readTextOr(p.playbook, ''),
    goals: Object.fromEntries(goals.map((g) => [g.id, g.body])),
    signals: Object.fromEntries(readings.map((r) => [r.name, wakePart(r.raw)])),
  };
  return { world, goals, readings, workers };
}
