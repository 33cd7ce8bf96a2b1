// Schedules as files: schedules/<name>.json, committed like goals. A due schedule is a signal in the
// sys-schedules reading, so it wakes the decider exactly when due; a beat that decided on it settles it
// (a one-shot is removed, a recurring one advances).
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../atomic.ts';
import { compareText, idProblem } from '../ids.ts';
import type { Paths } from '../paths.ts';
import { checkZone, nextCronMatch, parseAt, wallOf } from './when.ts';

export interface ScheduleInput {
  name: string;
  note?: string;
  in_s?: number;
  every_s?: number;
  at?: string;
  tz?: string;
}

export interface Schedule {
  name: string;
  note: string;
  in_s?: number;
  every_s?: number;
  at?: string;
  tz?: string;
  created_at: string;
  /** The next time it is due (ISO). */
  due_at: string;
}

export const MIN_PERIOD_S = 60;

/** What is wrong with a schedule's trigger, or null. Exactly one of in_s, every_s, at. */
export function triggerProblem(s: ScheduleInput): string | null {
  const given = (['in_s', 'every_s', 'at'] as const).filter((k) => s[k] !== undefined);
  if (given.length !== 1) return `a schedule needs exactly one of "in_s", "every_s" or "at" (got ${given.length ? given.join(' and ') : 'none'})`;
  if (s.tz !== undefined && !checkZone(s.tz)) return `"tz": unknown time zone "${s.tz}" (use an IANA name such as Europe/Berlin)`;
  if (s.in_s !== undefined && (!Number.isInteger(s.in_s) || s.in_s < MIN_PERIOD_S)) return `"in_s" must be a whole number of seconds >= ${MIN_PERIOD_S}`;
  if (s.every_s !== undefined && (!Number.isInteger(s.every_s) || s.every_s < MIN_PERIOD_S)) return `"every_s" must be a whole number of seconds >= ${MIN_PERIOD_S}`;
  if (s.at !== undefined) {
    const at = parseAt(s.at, s.tz);
    if (typeof at === 'string') return at;
  }
  return null;
}

/** A new schedule's file content, due for the first time after `now`. */
export function planSchedule(s: ScheduleInput, now: Date): Schedule | string {
  const problem = idProblem(s.name) ?? triggerProblem(s);
  if (problem) return problem;
  const base = { name: s.name, note: s.note ?? '', ...(s.tz ? { tz: s.tz } : {}), created_at: now.toISOString() };
  if (s.in_s !== undefined) return { ...base, in_s: s.in_s, due_at: new Date(now.getTime() + s.in_s * 1000).toISOString() };
  if (s.every_s !== undefined) return { ...base, every_s: s.every_s, due_at: new Date(now.getTime() + s.every_s * 1000).toISOString() };
  const at = parseAt(s.at!, s.tz);
  if (typeof at === 'string') return at;
  if (at.kind === 'instant') {
    if (at.at.getTime() <= now.getTime()) return `"at": ${s.at} is already past`;
    return { ...base, at: s.at, due_at: at.at.toISOString() };
  }
  const next = nextCronMatch(at.cron, now, s.tz);
  if (!next) return `"at": "${s.at}" never matches`;
  return { ...base, at: s.at, due_at: next.toISOString() };
}

/** After a beat decided on a due schedule: null when it is done (one-shot), else its next due time. */
export function advance(s: Schedule, now: Date): Schedule | null {
  const due = new Date(s.due_at);
  if (s.every_s !== undefined) {
    let next = due.getTime() + s.every_s * 1000;
    // Missed periods (the machine slept) fire once, not once each.
    if (next <= now.getTime()) next += Math.ceil((now.getTime() - next + 1) / (s.every_s * 1000)) * s.every_s * 1000;
    return { ...s, due_at: new Date(next).toISOString() };
  }
  if (s.at !== undefined) {
    const at = parseAt(s.at, s.tz);
    if (typeof at === 'string' || at.kind === 'instant') return null;
    const after = now.getTime() > due.getTime() ? now : due;
    const next = nextCronMatch(at.cron, after, s.tz, wallOf(due, s.tz));
    return next ? { ...s, due_at: next.toISOString() } : null;
  }
  return null;
}

export interface ScheduleList {
  schedules: Schedule[];
  problems: Array<{ file: string; problem: string }>;
}

/** Every schedule file; a damaged or invalid one is reported, never fatal. */
export function readSchedules(paths: Paths): ScheduleList {
  const out: ScheduleList = { schedules: [], problems: [] };
  let files: string[];
  try {
    files = readdirSync(paths.schedules);
  } catch {
    return out;
  }
  for (const file of files.sort()) {
    if (!file.endsWith('.json') || file.startsWith('.')) continue;
    const name = file.slice(0, -5);
    const path = paths.schedule(name);
    try {
      const st = statSync(path);
      if (!st.isFile() || st.size > 64 * 1024) throw new Error('not a small regular file');
      const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<Schedule>;
      const problem = idProblem(name) ?? triggerProblem(raw as ScheduleInput);
      if (problem) throw new Error(problem);
      // A file written by hand may leave out due_at and created_at: it counts from when it was written.
      const created = raw.created_at && !Number.isNaN(Date.parse(raw.created_at)) ? raw.created_at : st.mtime.toISOString();
      let due = raw.due_at && !Number.isNaN(Date.parse(raw.due_at)) ? raw.due_at : null;
      if (!due) {
        const planned = planSchedule({ ...(raw as ScheduleInput), name }, new Date(created));
        if (typeof planned === 'string') throw new Error(planned);
        due = planned.due_at;
      }
      out.schedules.push({ ...(raw as Schedule), name, note: typeof raw.note === 'string' ? raw.note : '', created_at: created, due_at: due });
    } catch (err) {
      out.problems.push({ file: `schedules/${file}`, problem: (err as Error).message });
    }
  }
  return out;
}

export function writeSchedule(paths: Paths, s: Schedule): void {
  writeFileAtomic(paths.schedule(s.name), JSON.stringify(s, null, 2) + '\n');
}

export function dropSchedule(paths: Paths, name: string): boolean {
  try {
    rmSync(paths.schedule(name));
    return true;
  } catch {
    return false;
  }
}

export const isDue = (s: Schedule, now: Date) => Date.parse(s.due_at) <= now.getTime();

/** The sys-schedules reading: due ones wake the loop (signal); upcoming ones are detail. */
export function scheduleReading(list: Schedule[], now: Date): { signal: unknown[]; detail: unknown } {
  const due = list.filter((s) => isDue(s, now));
  const upcoming = list.filter((s) => !isDue(s, now)).sort((a, b) => compareText(a.due_at, b.due_at));
  return {
    signal: due.map((s) => ({ name: s.name, note: s.note, due: s.due_at })),
    detail: { upcoming: upcoming.slice(0, 20).map((s) => ({ name: s.name, note: s.note, due: s.due_at })) },
  };
}

/** Seconds until the earliest schedule not yet due, or null. */
export function secondsToNextDue(list: Schedule[], now: Date): number | null {
  let best: number | null = null;
  for (const s of list) {
    const ms = Date.parse(s.due_at) - now.getTime();
    if (ms > 0 && (best === null || ms < best)) best = ms;
  }
  return best === null ? null : Math.max(1, Math.ceil(best / 1000));
}

/** Settles the schedules a deciding beat saw due; returns whether any file changed. */
export function settleDue(paths: Paths, dueNames: string[], now: Date): boolean {
  if (!dueNames.length) return false;
  const byName = new Map(readSchedules(paths).schedules.map((s) => [s.name, s]));
  let changed = false;
  for (const name of dueNames) {
    const s = byName.get(name);
    if (!s || !isDue(s, now)) continue;
    const next = advance(s, now);
    if (next) writeSchedule(paths, next);
    else dropSchedule(paths, name);
    changed = true;
  }
  return changed;
}
