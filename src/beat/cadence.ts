// How long until the next beat: busy if it acted, active if a worker is alive, else idle; a one-shot override wins.
/** next_interval_s is one-shot and clamped to 5..300 s. */
export function clampInterval(s: number): number {
  return Math.min(300, Math.max(5, Math.round(s)));
}

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
