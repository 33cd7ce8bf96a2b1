// Short human renderings of durations and timestamps for listings.
import dayjs from 'dayjs';

export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${s % 3600 >= 60 ? `${Math.floor((s % 3600) / 60)}m` : ''}`;
  return `${Math.floor(s / 86400)}d${s % 86400 >= 3600 ? `${Math.floor((s % 86400) / 3600)}h` : ''}`;
}

export function secondsSince(ts: string, now = new Date()): number {
  const ms = Date.parse(ts);
  return Number.isFinite(ms) ? (now.getTime() - ms) / 1000 : 0;
}

/** Local wall-clock time, e.g. 2025-03-01 14:05:09. */
export function localTime(ts: string | Date): string {
  const d = dayjs(ts);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm:ss') : String(ts);
}

/** Pads columns to a table; the last column is left ragged. */
export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat(widths[i]! - [...cell].length))).join('  ').trimEnd())
    .join('\n');
}
