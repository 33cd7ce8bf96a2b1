// Everything `looop status` tells, gathered from files and ONE tmux call; every scratch file is read
// defensively (missing or corrupt = unknown), so status works on a broken profile too.
import { askLine, listAsks } from '../asks.ts';
import { pendingSensors } from '../sensor-approval.ts';
import { loadIsland } from '../island.ts';
import { readFileSync } from 'node:fs';
import { readTextOr } from '../atomic.ts';
import { backoffSeconds, checkBudget } from '../beat/guards.ts';
import { ignoredGoals } from '../beat/observe.ts';
import { unreadableGuardState } from '../beat/state.ts';
import { listClaims, type ClaimInfo } from '../claims/index.ts';
import { VERSION, loadConfig } from '../config.ts';
import type { Ctx } from '../context.ts';
import { spentOn } from '../cost/ledger.ts';
import { errorMessage } from '../errors.ts';
import type { WorkerInfo } from '../fleet/types.ts';
import { detectSchedules, type InstalledSchedule } from '../schedule/detect.ts';
import { attachCommand } from '../tmux.ts';
import { activeHolds, unread, type InboxRecord } from '../inbox/inbox.ts';
import { journalTail } from '../beat/journal.ts';
import { livenessFrom, viewFleet } from '../fleet/view.ts';

export interface LastBeatInfo {
  ts: string;
  result: string;
  reason: string | null;
  run_id: string | null;
  hash: string | null;
  next_s: number | null;
  next_at: string | null;
}

export interface StatusReport {
  version: string;
  data_dir: string;
  config: string;
  config_error: string | null;
  socket: string;
  attach: string;
  pulse: { alive: boolean | null; state: string | null; pid: number | null };
  /** What needs the human: unread inbox records, newest last (at most 5 here; `looop inbox` has all). */
  inbox: { unread: number; newest: InboxRecord[] };
  /** Holds the loop is in now (budget, hourly cap, a cause only the human can fix). */
  holds: Array<{ key: string; since: string; reason: string }>;
  /** The last move, in the journal's words. */
  last_action: { at: string; text: string } | null;
  journal: string[];
  /** Who runs beats: the foreground pulse, an installed timer, or nothing. */
  driver: 'pulse' | 'systemd' | 'cron' | null;
  last_beat: LastBeatInfo | null;
  last_hash: string | null;
  next_beat: { at: string; in_s: number } | null;
  backoff: { failures: number | null; last_failure_ts: string | null; until: string | null; holding: boolean } | null;
  last_failure: { reason: string; ts: string | null; run_id: string | null } | null;
  workers: Array<WorkerInfo & { runner: string }> | null;
  fleet_error: string | null;
  flags: Array<{ id: string; note: string }>;
  /** The decider's open questions (asks) and the sensors it wrote that wait for approval. */
  asks: Array<{ id: string; line: string }>;
  pending_sensors: string[];
  claims: Array<ClaimInfo & { alive: boolean | null }>;
  spend: { today_usd: number; cap_usd: number | null; paused_until: string | null };
  schedule: InstalledSchedule[];
  /** Guard state that cannot be read: the loop holds until it is fixed. */
  held: string | null;
  ignored_goals: Array<{ file: string; problem: string }>;
  /** Why beats do not commit right now (a merge in progress, a detached HEAD), or null. */
  git: string | null;
}

type Obj = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function readObj(path: string): Obj | null | 'corrupt' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : 'corrupt';
  } catch {
    return 'corrupt';
  }
}

export function readLastBeat(path: string): LastBeatInfo | null {
  const o = readObj(path);
  if (!o || o === 'corrupt' || !str(o.ts) || !str(o.result)) return null;
  return { ts: str(o.ts)!, result: str(o.result)!, reason: str(o.reason), run_id: str(o.run_id), hash: str(o.hash), next_s: num(o.next_s), next_at: str(o.next_at) };
}

export function readBackoffInfo(path: string, now: Date): StatusReport['backoff'] {
  const o = readObj(path);
  if (o === null) return null;
  if (o === 'corrupt' || num(o.failures) === null) return { failures: null, last_failure_ts: null, until: null, holding: true };
  const failures = num(o.failures)!;
  const last = str(o.last_failure_ts);
  const lastMs = last ? Date.parse(last) : NaN;
  // A hand-edited far date or failure count must not make a Date that cannot be printed.
  const untilMs = lastMs + backoffSeconds(Math.min(Math.max(failures, 0), 1_000_000)) * 1000;
  const until = Number.isFinite(untilMs) && Math.abs(untilMs) < 8.64e15 ? new Date(untilMs) : null;
  return { failures, last_failure_ts: last, until: until?.toISOString() ?? null, holding: until !== null && until.getTime() > now.getTime() };
}

export async function gatherStatus(ctx: Ctx, now = new Date()): Promise<StatusReport> {
  const p = ctx.paths;
  let capUsd: number | null = null;
  let configError: string | null = null;
  try {
    capUsd = (await loadConfig(ctx.configPath, { cachePath: p.configCache, env: ctx.env })).maxDailyUsd;
  } catch (err) {
    configError = errorMessage(err);
  }
  const [view, claims, schedule] = await Promise.all([viewFleet(ctx), listClaims(ctx), detectSchedules(ctx)]);
  const alive = livenessFrom(view);
  const lastBeat = readLastBeat(p.lastBeat);
  const failure = readObj(p.lastFailure);
  const pulse = view.ok
    ? { alive: Boolean(view.pulse?.alive), state: view.pulse?.state ?? 'not running', pid: view.pulse?.alive ? (view.pulse.pid ?? null) : null }
    : { alive: null, state: null, pid: null };
  const journal = journalTail(p, 5);
  const lastLine = journal[journal.length - 1];
  const unreadRecs = unread(p);
  const driver = pulse.alive ? 'pulse' : (schedule[0]?.kind ?? null);
  const nextAt = lastBeat?.next_at && driver ? lastBeat.next_at : null;
  const today = spentOn(ctx, now);
  const budget = checkBudget(today, capUsd, now);
  const workers = view.ok ? view.workers : null;
  return {
    version: VERSION,
    data_dir: ctx.dataDir,
    config: ctx.configPath,
    config_error: configError,
    socket: p.socket,
    attach: attachCommand(p.socket),
    pulse,
    inbox: { unread: unreadRecs.length, newest: unreadRecs.slice(-5) },
    holds: Object.entries(activeHolds(p)).map(([key, h]) => ({ key, since: h.since, reason: h.reason })),
    last_action: lastLine ? { at: lastLine.slice(2, 18), text: lastLine.slice(19) } : null,
    journal,
    driver,
    last_beat: lastBeat,
    last_hash: readTextOr(p.lastHash, '').trim() || null,
    next_beat: nextAt ? { at: nextAt, in_s: Math.round((Date.parse(nextAt) - now.getTime()) / 1000) } : null,
    backoff: readBackoffInfo(p.backoff, now),
    last_failure: failure && failure !== 'corrupt' && str(failure.reason) ? { reason: str(failure.reason)!, ts: str(failure.ts), run_id: str(failure.run_id) } : null,
    workers,
    fleet_error: view.ok ? null : view.error,
    flags: (workers ?? []).filter((w) => w.flag !== null).map((w) => ({ id: w.id, note: w.flag! })),
    asks: listAsks(p).filter((a) => a.status === 'open').map((a) => ({ id: a.id, line: askLine(a) })),
    pending_sensors: pendingSensors(p),
    claims: claims.map((c) => ({ ...c, alive: c.external || !view.ok ? null : alive(c.session) })),
    spend: { today_usd: today, cap_usd: capUsd, paused_until: budget.hold ? budget.until.toISOString() : null },
    schedule,
    held: unreadableGuardState(p),
    ignored_goals: ignoredGoals(p.goals),
    git: (await loadIsland(() => import('../beat/git-memory.ts'))).gitStateProblem(p.root),
  };
}
