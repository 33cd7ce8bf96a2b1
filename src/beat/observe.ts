// Housekeeping + SENSE + the world: everything a beat reads before it decides anything.
import { readdirSync } from 'node:fs';
import { readDataFile } from '../safe-read.ts';
import type { Config } from '../config.ts';
import type { Ctx } from '../context.ts';
import type { Emit } from '../events.ts';
import type { Fleet, WorkerInfo } from '../fleet/types.ts';
import { byId, idProblem } from '../ids.ts';
import { listClaims, reapClaims } from '../claims/index.ts';
import { asksForDecider, listAsks } from '../asks.ts';
import { parseReading, wakePart } from './canonical.ts';
import { save, state } from './state.ts';
import { appendJournal } from './journal.ts';
import { type Reading, publishSystemReading, senseAll, senseLimits } from './sense.ts';
import type { World } from './world.ts';
import { settleVerifies } from '../fleet/verify.ts';
import { readSchedules, scheduleReading, secondsToNextDue } from '../schedules/store.ts';

export interface Observed {
  world: World;
  goals: Array<{ id: string; body: string }>;
  readings: Reading[];
  workers: WorkerInfo[];
  /** Schedules due in this world (settled once a beat decided on them) and seconds to the next one. */
  schedules: { due: string[]; nextDueS: number | null };
}

/** goals/*.md whose names break the id rules (`Q4 launch.md`): not goals, but reported, never silently ignored. */
export function ignoredGoals(dir: string): Array<{ file: string; problem: string }> {
  let files: string[] = [];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  const out: Array<{ file: string; problem: string }> = [];
  for (const f of files.sort()) {
    const problem = f.endsWith('.md') ? idProblem(f.slice(0, -3)) : null;
    if (problem) out.push({ file: f, problem: `is ignored: its name ${problem} (rename it to letters, digits, "-", "_" and ".")` });
  }
  return out;
}

/** goals/*.md (not the archive): regular files with valid ids, sorted. */
export function readGoals(ctx: Ctx, problems: string[] = []): Array<{ id: string; body: string }> {
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
    const read = readDataFile(path);
    if (read.ok) goals.push({ id, body: read.text });
    else if (!read.missing) problems.push(`goals/${f} ${read.problem}: skipped`);
  }
  return goals;
}

/** A sensor printing non-JSON is reported once (until it prints JSON again); its output still counts raw. */
function reportNotJson(p: Ctx['paths'], readings: Reading[], emit: Emit, write: boolean): void {
  const before = state.notJson(p);
  const now = readings.filter((r) => !r.failed && !parseReading(r.raw).json).map((r) => r.name).sort();
  for (const name of now) if (!before.includes(name)) emit({ event: 'sensor_not_json', sensor: name });
  if (write && now.join('\n') !== before.join('\n')) save.notJson(p, now);
}

export function sessionsReading(workers: WorkerInfo[]): unknown {
  const sorted = [...workers].sort(byId);
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
      ...(w.verify ? { verify: w.verify.status } : {}),
    })),
    // Where each works is detail: a worker's edits must not wake the loop by themselves.
    detail: sorted.map((w) => ({ id: w.id, source: w.source, age_s: w.age_s, idle_s: w.idle_s, pid: w.pid, ...(w.said ? { said: w.said } : {}), ...(w.cwd ? { cwd: w.cwd } : {}), ...(w.git ? { git: w.git } : {}), ...(w.verify ? { verify_exit: w.verify.exit_code, verify_tail: w.verify.tail } : {}) })),
  };
}

export async function observe(ctx: Ctx, config: Config, fleet: Fleet, emit: Emit, now: Date, opts: { write: boolean; env: NodeJS.ProcessEnv }): Promise<Observed> {
  const p = ctx.paths;
  let workers = await fleet.list();
  // A verify this beat (or the pulse) started is waited for, so this beat already shows its result.
  if (await settleVerifies()) workers = await fleet.list();
  if (opts.write) {
    const reaped = await fleet.reapFinished(config.sessionTtl);
    for (const id of reaped) emit({ event: 'reap', what: 'window', id, reason: `finished more than ${config.sessionTtl}s ago` });
    if (reaped.length) workers = workers.filter((w) => !reaped.includes(w.id));
    // A worker on a host that does not answer may well be running: its leases wait for the host or their TTL.
    const live = new Set(workers.filter((w) => w.alive || w.state === 'unknown').map((w) => w.id));
    // A lease that outlived its owner is journaled: it changes who may take the task.
    for (const c of await reapClaims(ctx, (s) => live.has(s), now)) {
      emit({ event: 'reap', what: 'claim', id: c.name, reason: c.reason });
      appendJournal(p, `reaped lease ${c.name} held by ${c.session}: ${c.reason}`, now);
    }
  }
  const started = Date.now();
  const readings = await senseAll(p, opts.env, senseLimits(ctx.env), now, opts.write);
  const claims = await listClaims(ctx);
  const scheduled = readSchedules(p);
  for (const bad of scheduled.problems) emit({ event: 'warn', message: `${bad.file} ignored: ${bad.problem}` });
  const schedulesValue = scheduleReading(scheduled.schedules, now);
  const sys = [
    { name: 'sys-sessions', value: sessionsReading(workers) },
    {
      name: 'sys-claims',
      value: {
        signal: claims.map((c) => ({ name: c.name, session: c.session })),
        detail: claims.map((c) => ({ name: c.name, ts: c.ts, expires_at: c.expires_at, note: c.note })),
      },
    },
    { name: 'sys-schedules', value: schedulesValue },
    // An answer, approval or denial changes this: it wakes the decider.
    { name: 'sys-asks', value: { signal: asksForDecider(listAsks(p)).map((a) => ({ id: a.id, status: a.status, answer: a.answer ?? null })) } },
  ];
  for (const s of sys) readings.push(publishSystemReading(p, s.name, s.value, opts.write));
  const failed = readings.filter((r) => r.failed);
  for (const r of failed) emit({ event: 'sensor_failed', sensor: r.name, reason: r.reason ?? 'failed' });
  for (const r of readings.filter((x) => x.reason === 'pending approval')) emit({ event: 'warn', message: `sensor ${r.name}: pending approval (the decider wrote it; review sensors/${r.name}.sh, then looop approve sensor ${r.name})` });
  emit({ event: 'sense', sensors: readings.length, ran: readings.filter((r) => r.ran).length, failed: failed.map((r) => r.name), ms: Date.now() - started });

  const problems: string[] = [];
  const goals = readGoals(ctx, problems);
  const playbook = readDataFile(p.playbook);
  if (!playbook.ok && !playbook.missing) problems.push(`PLAYBOOK.md ${playbook.problem}: read as empty`);
  for (const message of problems) emit({ event: 'warn', message });
  for (const g of ignoredGoals(p.goals)) emit({ event: 'goal_ignored', file: g.file, problem: g.problem });
  reportNotJson(p, readings, emit, opts.write);
  const world: World = {
    playbook: playbook.ok ? playbook.text : '',
    goals: Object.fromEntries(goals.map((g) => [g.id, g.body])),
    signals: Object.fromEntries(readings.map((r) => [r.name, wakePart(r.raw)])),
  };
  const due = (schedulesValue.signal as Array<{ name: string }>).map((d) => d.name);
  return { world, goals, readings, workers, schedules: { due, nextDueS: secondsToNextDue(scheduled.schedules, now) } };
}
