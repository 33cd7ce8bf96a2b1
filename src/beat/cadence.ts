// How long until the next beat: busy if it acted, active if a worker is alive, else idle; a one-shot override wins.
import { clampInterval } from '../decision.ts';

export interface CadenceInput {
  acted: boolean;
  workersAlive: boolean;
  override: number | null;
  interval: number;
  busyInterval: number;
  activeInterval: number;
}

export function chooseCadence(c: CadenceInput): { seconds: number; reason: string } {
  if (c.override !== null && Number.isFinite(c.override)) return { seconds: clampInterval(c.override), reason: 'decider asked' };
  if (c.acted) return { seconds: c.busyInterval, reason: 'busy' };
  if (c.workersAlive) return { seconds: c.activeInterval, reason: 'workers active' };
  return { seconds: c.interval, reason: 'idle' };
}
