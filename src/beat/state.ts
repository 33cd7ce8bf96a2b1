// The loop's scratch files: every one is written atomically and read defensively.
import { existsSync, lstatSync, readFileSync, rmSync, statSync } from 'node:fs';
import { readJsonOr, readTextOr, writeFileAtomic, writeJsonAtomic, writeScratch } from '../atomic.ts';
import type { Paths } from '../paths.ts';
import type { BackoffState } from './guards.ts';
import type { FlapEntry, WorldBaseline } from './world.ts';

export interface LastDecision {
  action: string;
  hash: string;
  ts: string;
}

export interface LastShell {
  cmd: string;
  exit_code: number | null;
  tail: string;
  shown: boolean;
}

export interface LastBeat {
  ts: string;
  result: 'skipped' | 'acted' | 'failed' | 'held';
  reason?: string;
  run_id?: string;
  hash: string;
  next_s: number;
  next_at: string;
}

export interface Nudge {
  due: string;
}

/** Guard state that exists but cannot be read holds the loop: deciding on it could spend without limit. */
export function unreadableGuardState(p: Paths): string | null {
  const checks: Array<[string, (text: string) => boolean]> = [
    [p.lastHash, () => true],
    [p.backoff, (t) => {
      const v = JSON.parse(t) as Partial<BackoffState>;
      return typeof v.failures === 'number' && typeof v.last_failure_ts === 'string';
    }],
    [p.decideLog, (t) => Array.isArray(JSON.parse(t))],
  ];
  for (const [path, valid] of checks) {
    if (!existsSync(path)) continue;
    const name = path.slice(p.root.length + 1);
    try {
      // Checked before reading: a FIFO would block the read forever.
      if (!lstatSync(path).isFile()) return `${name} is not a regular file: looop holds until it is removed`;
      if (!valid(readFileSync(path, 'utf8'))) return `${name} is corrupt: looop holds until it is fixed or removed`;
    } catch (err) {
      const why = err instanceof SyntaxError ? 'is corrupt' : `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
      return `${name} ${why}: looop holds until it is fixed or removed`;
    }
  }
  return null;
}

export function readLastHash(p: Paths): string | null {
  const t = readTextOr(p.lastHash, null);
  return t === null ? null : t.trim() || null;
}

/** A backoff file that exists but cannot be read counts as failing, never as clear. */
export function readBackoff(p: Paths): BackoffState | null {
  if (!existsSync(p.backoff)) return null;
  try {
    const v = JSON.parse(readFileSync(p.backoff, 'utf8')) as BackoffState;
    // Bounded: a hand-edited 1e308 or a year-275760 date must not break the arithmetic that follows.
    const ok = Number.isInteger(v.failures) && v.failures >= 0 && v.failures <= 1_000_000 && typeof v.last_failure_ts === 'string' && Number.isFinite(Date.parse(v.last_failure_ts)) && Math.abs(Date.parse(v.last_failure_ts)) < Date.UTC(9999, 0);
    if (ok) return v;
  } catch {
    // fall through
  }
  let ts = new Date().toISOString();
  try {
    ts = statSync(p.backoff).mtime.toISOString();
  } catch {
    // keep now
  }
  return { failures: 1, last_failure_ts: ts, policy: '' };
}

export const state = {
  lastHash: readLastHash,
  backoff: readBackoff,
  lastWorld: (p: Paths) => readJsonOr<WorldBaseline | null>(p.lastWorld, null),
  lastFailure: (p: Paths) => readJsonOr<{ reason: string; ts: string; run_id?: string } | null>(p.lastFailure, null),
  lastShell: (p: Paths) => readJsonOr<LastShell | null>(p.lastShell, null),
  lastDecision: (p: Paths) => readJsonOr<LastDecision | null>(p.lastDecision, null),
  flaps: (p: Paths) => readJsonOr<Record<string, FlapEntry>>(p.flaps, {}),
  decideTimes: (p: Paths) => readJsonOr<string[]>(p.decideLog, []),
  nudge: (p: Paths) => readJsonOr<Nudge | null>(p.nudge, null),
  notJson: (p: Paths) => readJsonOr<string[]>(p.notJson, []),
  nextInterval(p: Paths): number | null {
    const t = readTextOr(p.nextInterval, null);
    const n = t === null ? NaN : Number(t.trim());
    return Number.isFinite(n) && n > 0 && n <= 86_400 ? n : null;
  },
};

export const save = {
  commit(p: Paths, hash: string, world: WorldBaseline): void {
    writeJsonAtomic(p.lastWorld, world);
    writeFileAtomic(p.lastHash, hash + '\n');
  },
  backoff: (p: Paths, s: BackoffState) => writeJsonAtomic(p.backoff, s),
  clearBackoff: (p: Paths) => rmSync(p.backoff, { force: true }),
  lastFailure: (p: Paths, v: { reason: string; ts: string; run_id?: string }) => writeJsonAtomic(p.lastFailure, v),
  clearLastFailure: (p: Paths) => rmSync(p.lastFailure, { force: true }),
  lastShell: (p: Paths, v: LastShell) => writeJsonAtomic(p.lastShell, v),
  lastDecision: (p: Paths, v: LastDecision) => writeJsonAtomic(p.lastDecision, v),
  flaps: (p: Paths, v: Record<string, FlapEntry>) => writeScratch(p.flaps, JSON.stringify(v) + '\n'),
  decideTimes: (p: Paths, v: string[]) => writeJsonAtomic(p.decideLog, v),
  nextInterval: (p: Paths, s: number) => writeFileAtomic(p.nextInterval, `${s}\n`),
  clearNextInterval: (p: Paths) => rmSync(p.nextInterval, { force: true }),
  nudge: (p: Paths, v: Nudge) => writeJsonAtomic(p.nudge, v),
  clearNudge: (p: Paths) => rmSync(p.nudge, { force: true }),
  notJson: (p: Paths, v: string[]) => writeScratch(p.notJson, JSON.stringify(v) + '\n'),
  lastBeat: (p: Paths, v: LastBeat) => writeJsonAtomic(p.lastBeat, v, { durable: false }),
};
