// Everything `looop status` tells, gathered from files and ONE tmux call; every scratch file is read
// defensively (missing or corrupt = unknown), so status works on a broken profile too.
import { readFileSync } from 'node:fs';
import { readTextOr } from '../atomic.ts';
import { backoffSeconds, checkBudget } from '../beat/guards.ts';
import { listClaims, type ClaimInfo } from '../claims/index.ts';
import { VERSION, loadConfig } from '../config.ts';
import type { Ctx } from '../context.ts';
import { spentOn } from '../cost/ledger.ts';
import { errorMessage } from '../errors.ts';
import type { WorkerInfo } from '../fleet/types.ts';
import { detectSchedules, type InstalledSchedule } from '../schedule/detect.ts';
import { attachCommand } from '../tmux.ts';
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
  pulse: { alive: boolean | null; state: string | null };
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
  claims: Array<ClaimInfo & { alive: boolean | null }>;
  spend: { today_usd: number; cap_usd: number | null; paused_until: string | null };
  schedule: InstalledSchedule[];
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
  const until = Number.isFinite(lastMs) ? new Date(lastMs + backoffSeconds(failures) * 1000) : null;
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
  const pulse = view.ok ? { alive: Boolean(view.pulse?.alive), state: view.pulse?.state ?? 'not running' } : { alive: null, state: null };
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
    driver,
    last_beat: lastBeat,
    last_hash: readTextOr(p.lastHash, '').trim() || null,
    next_beat: nextAt ? { at: nextAt, in_s: Math.round((Date.parse(nextAt) - now.getTime()) / 1000) } : null,
    backoff: readBackoffInfo(p.backoff, now),
    last_failure: failure && failure !== 'corrupt' && str(failure.reason) ? { reason: str(failure.reason)!, ts: str(failure.ts), run_id: str(failure.run_id) } : null,
    workers,
    fleet_error: view.ok ? null : view.error,
    flags: (workers ?? []).filter((w) => w.flag !== null).map((w) => ({ id: w.id, note: w.flag! })),
    claims: claims.map((c) => ({ ...c, alive: c.external || !view.ok ? null : alive(c.session) })),
    spend: { today_usd: today, cap_usd: capUsd, paused_until: budget.hold ? budget.until.toISOString() : null },
    schedule,
  };
}
