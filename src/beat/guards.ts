// The guards that can hold a beat back before deciding: backoff, rate cap, daily budget. Pure, clock injected.

export interface BackoffState {
  failures: number;
  last_failure_ts: string;
  /** policyHash at the last failure: a PLAYBOOK/goal edit since then cuts the wait short. */
  policy: string;
}

export function backoffSeconds(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(60 * 2 ** (failures - 1), 300);
}

export type BackoffVerdict =
  | { hold: false; cut?: string }
  | { hold: true; waitS: number; until: Date };

export function checkBackoff(state: BackoffState | null, policy: string, now: Date): BackoffVerdict {
  if (!state || state.failures <= 0) return { hold: false };
  const last = Date.parse(state.last_failure_ts);
  const until = new Date((Number.isFinite(last) ? last : now.getTime()) + backoffSeconds(state.failures) * 1000);
  if (until.getTime() <= now.getTime()) return { hold: false };
  if (state.policy && state.policy !== policy) return { hold: false, cut: 'PLAYBOOK or goals changed since the last failure' };
  return { hold: true, waitS: Math.ceil((until.getTime() - now.getTime()) / 1000), until };
}

export function recordFailure(state: BackoffState | null, policy: string, now: Date): BackoffState {
  return { failures: (state?.failures ?? 0) + 1, last_failure_ts: now.toISOString(), policy };
}

const HOUR = 3600_000;

/** Decide attempts in the rolling hour; returns the pruned list and whether the cap holds the beat. */
export function checkRateCap(attempts: string[], cap: number, now: Date): { recent: string[]; hold: boolean; until?: Date } {
  const recent = attempts.filter((t) => {
    const ms = Date.parse(t);
    return Number.isFinite(ms) && now.getTime() - ms < HOUR && ms <= now.getTime() + 1000;
  });
  if (cap <= 0 || recent.length < cap) return { recent, hold: false };
  const oldest = Math.min(...recent.map((t) => Date.parse(t)));
  return { recent, hold: true, until: new Date(oldest + HOUR) };
}

export function nextLocalMidnight(now: Date): Date {
  const d = new Date(now.getTime());
  d.setHours(24, 0, 0, 0);
  return d;
}

export function checkBudget(spentToday: number, capUsd: number | null, now: Date): { hold: false } | { hold: true; until: Date } {
  if (capUsd === null || spentToday < capUsd) return { hold: false };
  return { hold: true, until: nextLocalMidnight(now) };
}

/** RECHECK: the last decision was a noop on this same world at least ttl ago (ttl 0 = off). */
export function dueForRecheck(last: { action: string; hash: string; ts: string } | null, hash: string, ttlS: number, now: Date): number | null {
  if (ttlS <= 0 || !last || last.action !== 'noop' || last.hash !== hash) return null;
  const since = (now.getTime() - Date.parse(last.ts)) / 1000;
  return since >= ttlS ? since : null;
}

/**
 * Why this beat must decide even though the world is unchanged: the decider has run_shell output it has
 * not seen yet, or it asked to be woken (next_interval_s) and that time has come. Null when neither.
 */
export function pendingWake(shell: { shown: boolean } | null, nudge: { due: string } | null, now: Date): string | null {
  if (shell && shell.shown === false) return 'run_shell output the decider has not seen';
  if (nudge && typeof nudge.due === 'string') {
    const due = Date.parse(nudge.due);
    if (!Number.isFinite(due) || due <= now.getTime() + 1000) return 'wake-up the decider asked for (next_interval_s)';
  }
  return null;
}
