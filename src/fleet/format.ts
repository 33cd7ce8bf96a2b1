// How the fleet reads to a human: one row per worker, ages in short units.
import type { WorkerInfo } from './types.ts';

export function shortDuration(s: number): string {
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
  return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600)}h`;
}

const paint = (on: boolean, code: string, t: string) => (on ? `\x1b[${code}m${t}\x1b[0m` : t);
const STATE_COLOR: Record<string, string> = { starting: '36', working: '32', waiting: '34', asking: '1;33', flagged: '1;33', stuck: '35', exited: '2', killed: '31', lost: '1;31' };

/** A fixed-column table (padding is computed on plain text, colour added after). */
export function fleetTable(workers: WorkerInfo[], color = false): string {
  if (!workers.length) return 'no workers on this profile\n';
  const head = ['ID', 'STATE', 'EXIT', 'AGE', 'IDLE', 'FLAG'];
  const rows = workers.map((w) => [
    w.id,
    w.state,
    w.exit_code === null ? '-' : String(w.exit_code),
    shortDuration(w.age_s),
    shortDuration(w.idle_s),
    w.flag === null ? '' : `⚑ ${w.flag}`.trimEnd(),
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[], style?: (i: number, text: string) => string) =>
    cells.map((c, i) => {
      const padded = i === cells.length - 1 ? c : c.padEnd(width[i]!);
      return style ? style(i, padded) : padded;
    }).join('  ').trimEnd();
  const out = [line(head, (_, t) => paint(color, '1', t))];
  for (const r of rows) {
    out.push(line(r, (i, t) => (i === 1 ? paint(color, STATE_COLOR[r[1]!] ?? '0', t) : i === 5 && t ? paint(color, '1;33', t) : t)));
  }
  return out.join('\n') + '\n';
}
