// How the fleet reads to a human: one row per worker, ages in short units.
import type { WorkerInfo } from './types.ts';
import { safeDeep } from '../sanitize-text.ts';

export function shortDuration(s: number): string {
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
  return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600)}h`;
}

const paint = (on: boolean, code: string, t: string) => (on ? `\x1b[${code}m${t}\x1b[0m` : t);
const STATE_COLOR: Record<string, string> = { starting: '36', working: '32', waiting: '34', asking: '1;33', flagged: '1;33', stuck: '35', exited: '2', killed: '31', lost: '1;31', unknown: '2;31' };

/** `~/src/app (fix-ci +12 -3, 2 files)`: the directory, and inside git its branch and changes. */
export function whereCell(w: WorkerInfo, home = process.env.HOME ?? ''): string {
  if (!w.cwd) return '-';
  const dir = home && home !== '/' && (w.cwd === home || w.cwd.startsWith(home + '/')) ? '~' + w.cwd.slice(home.length) : w.cwd;
  const safe = dir.replace(/[\x00-\x1f\x7f]/g, '?');
  if (!w.git) return safe;
  const g = w.git;
  const branch = (g.branch ?? 'detached').replace(/[\x00-\x1f\x7f]/g, '?');
  const changes = g.files ? ` +${g.insertions} -${g.deletions}, ${g.files} file${g.files === 1 ? '' : 's'}` : ', clean';
  return `${safe} (${branch}${changes})`;
}

/** A fixed-column table (padding is computed on plain text, colour added after). */
export function fleetTable(raw: WorkerInfo[], color = false): string {
  // Flag notes are a worker's own words.
  const workers = safeDeep(raw);
  if (!workers.length) return 'no workers on this profile\n';
  // The HOST column appears once any worker runs elsewhere.
  const hosts = workers.some((w) => w.host);
  const head = ['ID', ...(hosts ? ['HOST'] : []), 'STATE', 'EXIT', 'AGE', 'IDLE', 'WHERE', 'FLAG'];
  const rows = workers.map((w) => [
    w.id,
    ...(hosts ? [w.host ?? 'local'] : []),
    w.state,
    w.exit_code === null ? '-' : String(w.exit_code),
    shortDuration(w.age_s),
    shortDuration(w.idle_s),
    whereCell(w),
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
    const si = hosts ? 2 : 1;
    out.push(line(r, (i, t) => (i === si ? paint(color, STATE_COLOR[r[si]!] ?? '0', t) : i === r.length - 1 && t ? paint(color, '1;33', t) : t)));
  }
  return out.join('\n') + '\n';
}
