// `looop cost` totals: by kind, by runner and per local day, over today / the last 7 days / everything. Pure.
import { roundUsd, type CostRow } from './ledger.ts';

export const RANGES = ['today', 'week', 'all'] as const;
export type Range = (typeof RANGES)[number];

export interface Totals {
  total_usd: number;
  runs: number;
  by_kind: Record<string, number>;
  by_runner: Record<string, number>;
}

export interface CostReport extends Totals {
  range: Range;
  /** First local day included (YYYY-MM-DD); null for `all`. */
  from: string | null;
  to: string;
  by_day: Array<Totals & { day: string }>;
  today_usd: number;
  cap_usd: number | null;
  skipped_lines: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
export function localDay(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function empty(): Totals {
  return { total_usd: 0, runs: 0, by_kind: {}, by_runner: {} };
}

function add(t: Totals, r: CostRow): void {
  t.total_usd += r.cost_usd;
  t.runs++;
  t.by_kind[r.kind] = (t.by_kind[r.kind] ?? 0) + r.cost_usd;
  t.by_runner[r.runner] = (t.by_runner[r.runner] ?? 0) + r.cost_usd;
}

function rounded<T extends Totals>(t: T): T {
  const r = (m: Record<string, number>) => Object.fromEntries(Object.keys(m).sort().map((k) => [k, roundUsd(m[k]!)]));
  return { ...t, total_usd: roundUsd(t.total_usd), by_kind: r(t.by_kind), by_runner: r(t.by_runner) };
}

export function firstDay(range: Range, now: Date): string | null {
  if (range === 'all') return null;
  const back = range === 'week' ? 6 : 0;
  return localDay(new Date(now.getFullYear(), now.getMonth(), now.getDate() - back));
}

export function summarise(rows: CostRow[], range: Range, now: Date, opts: { capUsd?: number | null; skipped?: number } = {}): CostReport {
  const from = firstDay(range, now);
  const today = localDay(now);
  const total = empty();
  const days = new Map<string, Totals>();
  let todayUsd = 0;
  for (const r of rows) {
    const day = localDay(new Date(r.ts));
    if (day === today) todayUsd += r.cost_usd;
    if (from !== null && day < from) continue;
    if (day > today) continue;
    add(total, r);
    if (!days.has(day)) days.set(day, empty());
    add(days.get(day)!, r);
  }
  return {
    range,
    from,
    to: today,
    ...rounded(total),
    by_day: [...days.keys()].sort().map((day) => ({ day, ...rounded(days.get(day)!) })),
    today_usd: roundUsd(todayUsd),
    cap_usd: opts.capUsd ?? null,
    skipped_lines: opts.skipped ?? 0,
  };
}

const usd = (n: number) => `$${n.toFixed(n !== 0 && n < 0.01 ? 4 : 2)}`;
const parts = (m: Record<string, number>) => Object.entries(m).map(([k, v]) => `${k} ${usd(v)}`).join(' · ') || '-';

export function formatReport(r: CostReport): string {
  const span = r.range === 'today' ? `today (${r.to})` : r.range === 'week' ? `last 7 days (${r.from} – ${r.to})` : 'all time';
  const lines = [`spend ${span}: ${usd(r.total_usd)} over ${r.runs} run${r.runs === 1 ? '' : 's'}`];
  if (r.runs) {
    lines.push(`  by kind:   ${parts(r.by_kind)}`, `  by runner: ${parts(r.by_runner)}`);
    if (r.range !== 'today') {
      lines.push('  per day:');
      for (const d of r.by_day) lines.push(`    ${d.day}  ${usd(d.total_usd).padStart(9)}  ${d.runs} run${d.runs === 1 ? '' : 's'}  (${parts(d.by_kind)})`);
    }
  }
  if (r.cap_usd !== null) lines.push(`daily cap: ${usd(r.today_usd)} of ${usd(r.cap_usd)} spent today${r.today_usd >= r.cap_usd ? ' — deciding is paused until midnight' : ''}`);
  return lines.join('\n') + '\n';
}
