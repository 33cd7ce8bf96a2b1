// When a schedule is due: pure time arithmetic over a clock and an IANA time zone (Intl, no tables of our own).
// Triggers: once after `in_s`, every `every_s`, or `at` — a 5-field cron expression, a daily "HH:MM",
// or a one-shot local "YYYY-MM-DD HH:MM".

export interface CronSpec {
  minute: Set<number>;
  hour: Set<number>;
  dom: Set<number>;
  month: Set<number>;
  dow: Set<number>;
  domAny: boolean;
  dowAny: boolean;
}

const FIELDS: Array<[string, number, number]> = [
  ['minute', 0, 59],
  ['hour', 0, 23],
  ['day of month', 1, 31],
  ['month', 1, 12],
  ['day of week', 0, 7],
];

function parseField(text: string, [what, lo, hi]: [string, number, number]): Set<number> | string {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = part.match(/^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/);
    if (!m) return `${what} "${part}" is not a number, range, list or step`;
    const from = m[1] === '*' ? lo : Number(m[2]);
    const to = m[1] === '*' ? hi : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? hi : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < lo || to > hi || from > to || step < 1) return `${what} "${part}" is outside ${lo}-${hi}`;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/** A 5-field cron expression (minute hour day-of-month month day-of-week), or a problem in words. */
export function parseCron(expr: string): CronSpec | string {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) return `"${expr}" needs 5 fields (minute hour day-of-month month day-of-week)`;
  const sets: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const s = parseField(parts[i]!, FIELDS[i]!);
    if (typeof s === 'string') return s;
    sets.push(s);
  }
  const dow = sets[4]!;
  if (dow.has(7)) dow.add(0);
  return { minute: sets[0]!, hour: sets[1]!, dom: sets[2]!, month: sets[3]!, dow, domAny: parts[2] === '*', dowAny: parts[4] === '*' };
}

export interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** A valid IANA zone name, or null when Intl does not know it. */
export function checkZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The wall clock of an instant in a zone (undefined: the process's local zone). */
export function wallOf(d: Date, tz?: string): Wall {
  const key = tz ?? '';
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
    formatters.set(key, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(d)) p[part.type] = part.value;
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), hour: Number(p.hour) % 24, minute: Number(p.minute), weekday: WEEKDAYS.indexOf(p.weekday!) };
}

const wallKey = (w: Wall) => ((((w.year * 100 + w.month) * 100 + w.day) * 100 + w.hour) * 100 + w.minute);

function dayMatches(c: CronSpec, w: Wall): boolean {
  if (!c.month.has(w.month)) return false;
  const dom = c.dom.has(w.day);
  const dow = c.dow.has(w.weekday);
  // Classic cron: when both day fields are restricted, either one matching is enough.
  if (c.domAny && c.dowAny) return true;
  if (c.domAny) return dow;
  if (c.dowAny) return dom;
  return dom || dow;
}

const MINUTE = 60_000;

/**
 * The first instant strictly after `after` whose wall clock in `tz` matches, and whose wall time is later
 * than `notBeforeWall` (so the repeated hour of a DST fall-back never fires a schedule twice). Null when
 * nothing matches within ~4 years (e.g. "0 0 31 2 *").
 */
export function nextCronMatch(c: CronSpec, after: Date, tz?: string, notBeforeWall?: Wall): Date | null {
  let t = Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE;
  const limit = t + 4 * 366 * 24 * 60 * MINUTE;
  const floor = notBeforeWall ? wallKey(notBeforeWall) : -1;
  while (t < limit) {
    const w = wallOf(new Date(t), tz);
    if (!dayMatches(c, w) || !c.hour.has(w.hour)) {
      // Jump to the next wall-clock hour; offsets change only on whole quarter hours, so minute steps are safe.
      t += (60 - w.minute) * MINUTE;
      continue;
    }
    if (c.minute.has(w.minute) && wallKey(w) > floor) return new Date(t);
    t += MINUTE;
  }
  return null;
}

/** The instant a local wall time ("YYYY-MM-DD HH:MM") names in a zone (a time skipped by DST moves later). */
export function instantOfWall(text: string, tz?: string): Date | null {
  const m = text.trim().match(/^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
  const target = Date.UTC(y, mo - 1, d, h, mi);
  let guess = target;
  for (let i = 0; i < 3; i++) {
    const w = wallOf(new Date(guess), tz);
    const seen = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
    guess += target - seen;
  }
  return new Date(guess);
}

export type Trigger = { kind: 'once'; in_s: number } | { kind: 'every'; every_s: number } | { kind: 'at'; at: string };

export type AtForm = { kind: 'cron'; cron: CronSpec; expr: string } | { kind: 'instant'; at: Date };

/** `at`: cron, daily "HH:MM" (as cron), or a local "YYYY-MM-DD HH:MM"; a problem in words otherwise. */
export function parseAt(at: string, tz?: string): AtForm | string {
  const daily = at.trim().match(/^(\d{1,2}):(\d{2})$/);
  if (daily) {
    const h = Number(daily[1]);
    const mi = Number(daily[2]);
    if (h > 23 || mi > 59) return `"${at}" is not a time of day`;
    return { kind: 'cron', cron: parseCron(`${mi} ${h} * * *`) as CronSpec, expr: `${mi} ${h} * * *` };
  }
  if (/^\d{4}-/.test(at.trim())) {
    const instant = instantOfWall(at, tz);
    return instant ? { kind: 'instant', at: instant } : `"${at}" is not a local date and time (YYYY-MM-DD HH:MM)`;
  }
  const cron = parseCron(at);
  return typeof cron === 'string' ? `"at": ${cron}` : { kind: 'cron', cron, expr: at.trim() };
}
