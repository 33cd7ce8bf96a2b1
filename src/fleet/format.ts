// How the fleet reads to a human: one row per worker, ages in short units.
import { paint, table, terminalWidth } from '../format.ts';
import type { WorkerInfo } from './types.ts';
import { safeDeep } from '../sanitize-text.ts';
import { verifyWord } from './verify.ts';

export function shortDuration(s: number): string {
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
  return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600)}h`;
}

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

const lastLine = (t: string) => (t.trim().split('\n').at(-1) ?? '').slice(0, 120);

/** A table that fits the terminal (padding is computed on plain text, colour added after). */
export function fleetTable(raw: WorkerInfo[], color = false, width = terminalWidth()): string {
  // Flag notes are a worker's own words.
  const workers = safeDeep(raw);
  if (!workers.length) return 'no workers on this profile\n';
  // The HOST column appears once any worker runs elsewhere.
  const hosts = workers.some((w) => w.host);
  const head = ['ID', ...(hosts ? ['HOST'] : []), 'STATE', 'EXIT', 'AGE', 'IDLE', 'WHERE', 'FLAG'];
  const rows = workers.map((w) => [
    w.id,
    ...(hosts ? [w.host ?? 'local'] : []),
    w.verify ? `${w.state} ${verifyWord(w.verify)}` : w.state,
    w.exit_code === null ? '-' : String(w.exit_code),
    shortDuration(w.age_s),
    shortDuration(w.idle_s),
    whereCell(w),
    w.flag !== null ? `⚑ ${w.flag}`.trimEnd() : w.verify?.status === 'failed' ? `✗ ${lastLine(w.verify.tail)}`.trimEnd() : '',
  ]);
  const si = hosts ? 2 : 1;
  const style = (ri: number, i: number, t: string) => {
    if (ri === 0) return paint(color, '1', t);
    const r = rows[ri - 1]!;
    const state = r[si]!;
    if (i === si) return paint(color, / verify failed/.test(state) ? '31' : (STATE_COLOR[state.split(' ')[0]!] ?? '0'), t);
    return i === r.length - 1 && t ? paint(color, '1;33', t) : t;
  };
  return table([head, ...rows], { width, style }) + '\n';
}
