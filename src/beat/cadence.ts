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
  /** Seconds until a pending wake-up the decider asked for: the beat comes no later. */
  wakeInS?: number | null;
}

export function chooseCadence(c: CadenceInput): { seconds: number; reason: string } {
  const chosen = baseCadence(c);
  if (c.wakeInS !== undefined && c.wakeInS !== null && Number.isFinite(c.wakeInS) && c.wakeInS < chosen.seconds) {
    return { seconds: Math.max(1, Math.ceil(c.wakeInS)), reason: 'decider asked' };
  }
  return chosen;
}

function baseCadence(c: CadenceInput): { seconds: number; reason: string } {
  if (c.override !== null && Number.isFinite(c.override)) return { seconds: clampInterval(c.override), reason: 'decider asked' };
  if (c.acted) return { seconds: c.busyInterval, reason: 'busy' };
  if (c.workersAlive) return { seconds: c.activeInterval, reason: 'workers active' };
  return { seconds: c.interval, reason: 'idle' };
}
