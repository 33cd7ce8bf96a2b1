// cost.jsonl: one row per run, appended with a single write so concurrent writers never interleave.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Paths } from '../paths.ts';
import { appendNoFollow } from '../safe-read.ts';

export const COST_KINDS = ['tick', 'session'] as const;
export type CostKind = (typeof COST_KINDS)[number];

export interface CostRow {
  ts: string;
  kind: string;
  id: string;
  runner: string;
  cost_usd: number;
}

/** Float noise from summing per-message costs is not money; keep micro-dollars. */
export const roundUsd = (n: number): number => Math.round(n * 1e6) / 1e6;

export function appendCost(path: string, row: Omit<CostRow, 'ts'> & { ts?: string }): CostRow {
  const full: CostRow = { ts: row.ts ?? new Date().toISOString(), kind: row.kind, id: row.id, runner: row.runner, cost_usd: roundUsd(row.cost_usd) };
  mkdirSync(dirname(path), { recursive: true });
  appendNoFollow(path, JSON.stringify(full) + '\n');
  return full;
}

export function parseRow(line: string): CostRow | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const r = v as Record<string, unknown>;
  if (typeof r.ts !== 'string' || !Number.isFinite(Date.parse(r.ts))) return null;
  if (typeof r.cost_usd !== 'number' || !Number.isFinite(r.cost_usd) || r.cost_usd < 0) return null;
  if (typeof r.kind !== 'string' || typeof r.id !== 'string' || typeof r.runner !== 'string') return null;
  return { ts: r.ts, kind: r.kind, id: r.id, runner: r.runner, cost_usd: r.cost_usd };
}

export interface Ledger {
  rows: CostRow[];
  /** 1-based line numbers that were not valid rows. */
  bad: number[];
}

export function readLedger(path: string): Ledger {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { rows: [], bad: [] };
  }
  const rows: CostRow[] = [];
  const bad: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const row = parseRow(line);
    if (row) rows.push(row);
    else bad.push(i + 1);
  });
  return { rows, bad };
}

const DAY_MS = 86_400_000;

/**
 * Spend on the local calendar day containing `day` (the BUDGET guard's input). Sync and zod-free;
 * scans from the end and stops a day before the start, since the ledger is appended in time order.
 */
export function spentOn(ctx: { paths: Pick<Paths, 'cost'> }, day: Date): number {
  let text: string;
  try {
    text = readFileSync(ctx.paths.cost, 'utf8');
  } catch {
    return 0;
  }
  const start = new Date(day.getFullYear(), day.getMonth(), day.getDate()).getTime();
  const end = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1).getTime();
  let sum = 0;
  let endAt = text.length;
  while (endAt > 0) {
    const nl = text.lastIndexOf('\n', endAt - 1);
    const line = text.slice(nl + 1, endAt);
    endAt = nl < 0 ? 0 : nl;
    if (!line.trim()) continue;
    const row = parseRow(line);
    if (!row) continue;
    const t = Date.parse(row.ts);
    if (t < start - DAY_MS) break;
    if (t >= start && t < end) sum += row.cost_usd;
  }
  return roundUsd(sum);
}
