// Turns two readings of the fleet into the events the pulse stream shows (flags can't be missed),
// and says which state changes must wake the decider at once.
import type { Event } from '../events.ts';
import type { WorkerInfo, WorkerState } from '../fleet/types.ts';

export type FleetSnapshot = Map<string, Pick<WorkerInfo, 'alive' | 'flag' | 'exit_code' | 'state' | 'source'> & { verify?: { status: string; exit_code: number | null } }>;

export function snapshot(workers: WorkerInfo[]): FleetSnapshot {
  return new Map(
    workers.map((w) => [
      w.id,
      { alive: w.alive, flag: w.flag, exit_code: w.exit_code, state: w.state, source: w.source, ...(w.verify ? { verify: { status: w.verify.status, exit_code: w.verify.exit_code } } : {}) },
    ]),
  );
}

/** Transitions the decider must see now, not at the next interval: a turn ended, a question, an exit, a loss. */
export function wakes(from: WorkerState | null, to: WorkerState): boolean {
  if (from === to) return false;
  if (to === 'waiting') return from === 'working' || from === 'stuck' || from === 'asking';
  return to === 'asking' || to === 'exited' || to === 'lost';
}

/** New or changed flags, cleared flags, state changes, and workers that stopped since `prev` (null: first reading). */
export function fleetChanges(prev: FleetSnapshot | null, next: FleetSnapshot): Event[] {
  const out: Event[] = [];
  for (const [id, w] of next) {
    const before = prev?.get(id);
    if (w.flag !== null && w.flag !== before?.flag) out.push({ event: 'flag', id, note: w.flag });
    if (prev && before && before.flag !== null && w.flag === null && w.alive) out.push({ event: 'unflag', id });
    if (prev && before?.alive && !w.alive && w.state !== 'lost' && w.state !== 'unknown') out.push({ event: 'worker_exit', id, exit_code: w.exit_code });
    if (prev && before?.state !== w.state) out.push({ event: 'worker_state', id, from: before?.state ?? null, to: w.state, source: w.source, wake: wakes(before?.state ?? null, w.state) });
    // A verify result is news for the decider (it woke for the exit while the verify still ran).
    if (prev && w.verify && w.verify.status !== before?.verify?.status) out.push({ event: 'worker_verify', id, status: w.verify.status, exit_code: w.verify.exit_code });
  }
  return out;
}
