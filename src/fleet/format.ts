// How the fleet reads to a human: one row per worker, ages in short units.
import { paint, table, terminalWidth } from '../format.ts';
import type { WorkerInfo } from './types.ts';

export function shortDuration(s: number): string {
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
  return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600)}h`;
}

const STATE_COLOR: Record<string, string> = { running: '32', exited: '2', killed: '31' };

/** A table that fits the terminal (padding is computed on plain text, colour added after). */
export function fleetTable(workers: WorkerInfo[], color = false, width = terminalWidth()): string {
  if (!workers.length) return 'no workers on this profile\n';
  const head = ['ID', 'STATE', 'HEALTH', 'EXIT', 'AGE', 'IDLE', 'FLAG'];
  const rows = workers.map((w) => [
    w.id,
    w.state,
    w.health,
    w.exit_code === null ? '-' : String(w.exit_code),
    shortDuration(w.age_s),
    shortDuration(w.idle_s),
    w.flag === null ? '' : `⚑ ${w.flag}`.trimEnd(),
  ]);
  const style = (ri: number, i: number, t: string) =>
    ri === 0 ? paint(color, '1', t) : i === 1 ? paint(color, STATE_COLOR[rows[ri - 1]![1]!] ?? '0', t) : i === 6 && t ? paint(color, '1;33', t) : t;
  return table([head, ...rows], { width, style }) + '\n';
}
