// A worker's verify command: when it is due (the worker exited, said `looop done`, or ended its first
// turn), and its result (sessions/<id>/verify.json). Light on purpose: `ls` and the pulse read it every
// second; running the command lives in the verify-run.ts island, loaded only when one is due.
import { existsSync, readFileSync } from 'node:fs';
import type { Paths } from '../paths.ts';
import { writeFileAtomic } from '../atomic.ts';
import type { Ctx } from '../context.ts';
import { loadIsland } from '../island.ts';
import { isAlive } from './procs.ts';
import type { WorkerRecord } from './record.ts';
import type { Perceived, WorkerEvent } from './state.ts';

export type VerifyStatus = 'verified' | 'failed' | 'running';

export interface VerifyResult {
  status: VerifyStatus;
  exit_code: number | null;
  /** The output's last lines (untrusted: the command's own words), or why it failed to run. */
  tail: string;
  /** ISO time the result was written. */
  ts: string;
  /** Unix seconds the run started. */
  started: number;
  /** The window start it verified (a restarted worker is verified again). */
  run: number;
  cmd: string;
  /** While running: the process that runs it. */
  pid?: number;
}

/** What `ls --json` and sys-sessions carry. */
export type VerifyInfo = Pick<VerifyResult, 'status' | 'exit_code' | 'tail'>;

export function readVerify(paths: Paths, id: string): VerifyResult | null {
  const file = paths.workerVerify(id);
  if (!existsSync(file)) return null;
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as VerifyResult;
    return v && typeof v === 'object' && ['verified', 'failed', 'running'].includes(v.status) ? v : null;
  } catch {
    return null;
  }
}

export function writeVerify(paths: Paths, id: string, v: VerifyResult): void {
  writeFileAtomic(paths.workerVerify(id), JSON.stringify(v) + '\n', 0o600);
}

/** A "running" result whose runner died (a tick killed mid-verify) counts as no result. */
export function abandoned(v: VerifyResult | null): boolean {
  return v?.status === 'running' && !(v.pid && isAlive(v.pid));
}

export function verifyInfo(v: VerifyResult | null): VerifyInfo | undefined {
  if (!v || abandoned(v)) return undefined;
  return { status: v.status, exit_code: v.exit_code, tail: v.tail };
}

/** `verified`, `verify failed`, `verifying`: how a state reads with its verify result. */
export function verifyWord(v: VerifyInfo | undefined): string {
  if (!v) return '';
  return v.status === 'verified' ? 'verified' : v.status === 'failed' ? 'verify failed' : 'verifying';
}

/** Unix seconds of the worker's last `looop done`, or null. */
export function readDone(paths: Paths, id: string): number | null {
  try {
    const n = Number(readFileSync(paths.workerDone(id), 'utf8').trim());
    return Number.isFinite(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

const TURN_END = new Set(['Stop', 'StopFailure', 'agent_end']);

/**
 * Whether the verify command must run now: the worker has one, is done (exited, said `looop done`
 * since this window started, or an agent CLI ended a turn and waits), and this window (or the last
 * `done`) was not verified yet. A plain program has no turns: only its exit or `looop done` count.
 */
export function verifyDue(record: WorkerRecord | null, windowStart: number | null, p: Pick<Perceived, 'state'>, events: WorkerEvent[], result: VerifyResult | null, doneAt: number | null): boolean {
  if (!record?.verify || windowStart === null) return false;
  if (result?.status === 'running' && !abandoned(result)) return false;
  const saidDone = doneAt !== null && doneAt >= windowStart;
  const turnEnded = record.cli !== 'other' && p.state === 'waiting' && events.some((e) => e.ts >= windowStart - 1 && TURN_END.has(e.ev));
  if (!(p.state === 'exited' || saidDone || turnEnded)) return false;
  if (!result || result.run !== windowStart || abandoned(result)) return true;
  return saidDone && doneAt! > result.started;
}

// Verifies started by this process (the beat and the pulse's watcher share it in the pulse).
const inFlight = new Map<string, Promise<unknown>>();

/** Starts the due verifies in the background of this process; a running one is not started twice. */
export function startVerifies(ctx: Pick<Ctx, 'paths' | 'env'> & { configPath?: string }, due: Array<{ id: string; run: number }>): void {
  for (const d of due) {
    if (inFlight.has(d.id)) continue;
    const p = loadIsland(() => import('./verify-run.ts'))
      .then((m) => m.runVerify(ctx, d.id, d.run))
      .catch(() => null)
      .finally(() => inFlight.delete(d.id));
    inFlight.set(d.id, p);
  }
}

/** Waits for the verifies this process runs (the beat shows their results in the same beat); true if there were any. */
export async function settleVerifies(): Promise<boolean> {
  const any = inFlight.size > 0;
  while (inFlight.size) await Promise.all([...inFlight.values()]);
  return any;
}
