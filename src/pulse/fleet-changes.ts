// Turns two readings of the fleet into the events the pulse stream shows (flags can't be missed).
import type { Event } from '../events.ts';
import type { WorkerInfo } from '../fleet/types.ts';

export type FleetSnapshot = Map<string, Pick<WorkerInfo, 'alive' | 'flag' | 'exit_code'>>;

export function snapshot(workers: WorkerInfo[]): FleetSnapshot {
  return new Map(workers.map((w) => [w.id, { alive: w.alive, flag: w.flag, exit_code: w.exit_code }]));
}

/** New or changed flags, cleared flags, and workers that stopped since `prev` (null: first reading). */
export function fleetChanges(prev: FleetSnapshot | null, next: FleetSnapshot): Event[] {
  const out: Event[] = [];
  for (const [id, w] of next) {
    const before = prev?.get(id);
    if (w.flag !== null && w.flag !== before?.flag) out.push({ event: 'flag', id, note: w.flag });
    if (prev && before && before.flag !== null && w.flag === null && w.alive) out.push({ event: 'unflag', id });
    if (prev && before?.alive && !w.alive) out.push({ event: 'worker_exit', id, exit_code: w.exit_code });
  }
  return out;
}
