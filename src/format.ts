// How looop writes for a human in a terminal: durations, times, money, colour, tables that fit the width.
import dayjs from 'dayjs';

/** Seconds as a short age: 45s, 12m, 3h5m, 2d4h. */
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

/** Dollars: $1.25 (cents are enough for totals; per-run costs want 4 digits). */
export function usd(n: number, digits = 2): string {
  return `$${n.toFixed(digits)}`;
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}

export function paint(on: boolean, code: string, text: string): string {
  return on ? `\x1b[${code}m${text}\x1b[0m` : text;
}

/** The terminal's width in columns; unlimited on a pipe (a script reading the table wants whole cells). */
export function terminalWidth(stream: NodeJS.WriteStream = process.stdout): number {
  return stream.isTTY && stream.columns > 0 ? stream.columns : Infinity;
}

const len = (s: string) => [...s].length;
const cut = (s: string, w: number) => (len(s) <= w ? s : w <= 1 ? [...s].slice(0, w).join('') : [...s].slice(0, w - 1).join('') + '…');

/**
 * Pads columns to a table (the last column ragged) that fits `width`: the last column is cut first, then
 * the widest others, never below 4 columns each. `style` colours a padded cell (padding is on plain text).
 */
export function table(rows: string[][], opts: { width?: number; style?: (row: number, col: number, text: string) => string } = {}): string {
  if (rows.length === 0) return '';
  const n = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: n }, (_, i) => Math.max(...rows.map((r) => len(r[i] ?? ''))));
  const limit = opts.width ?? Infinity;
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (n - 1);
  if (total() > limit) widths[n - 1] = Math.max(4, widths[n - 1]! - (total() - limit));
  while (total() > limit) {
    const widest = widths.slice(0, -1).reduce((best, w, i) => (w > widths[best]! ? i : best), 0);
    if (widths[widest]! <= 4) break;
    widths[widest]!--;
  }
  return rows
    .map((r, ri) =>
      r
        .map((cell, i) => {
          const text = cut(cell, widths[i]!);
          const padded = i === r.length - 1 ? text : text + ' '.repeat(widths[i]! - len(text));
          return opts.style ? opts.style(ri, i, padded) : padded;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
