// The archive of decided beats: runs/<id>/{prompt.md, output.log, result.json}, read defensively.
import { readdirSync, statSync } from 'node:fs';
import type { Paths } from '../paths.ts';
import { readJsonOr } from '../atomic.ts';
import { byId, compareText, idProblem } from '../ids.ts';
import type { CostRow } from '../cost/ledger.ts';

export interface RunInfo {
  id: string;
  ts: string;
  /** acted | failed | ... as the beat wrote it; "unknown" while running or after a crash mid-beat. */
  result: string;
  action: string | null;
  reason: string | null;
  journal: string | null;
  cost_usd: number | null;
  dir: string;
}

type ResultFile = { ts?: unknown; result?: unknown; action?: unknown; reason?: unknown; journal?: unknown; cost_usd?: unknown };
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

export function runIds(paths: Paths): string[] {
  try {
    return readdirSync(paths.runs, { withFileTypes: true })
      .filter((d) => d.isDirectory() && idProblem(d.name) === null)
      .map((d) => d.name);
  } catch {
    return [];
  }
}

/** Spend per tick run id, from the ledger (what _fmt recorded for that run). */
export function costByRun(rows: CostRow[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) if (r.kind === 'tick') m.set(r.id, (m.get(r.id) ?? 0) + r.cost_usd);
  return m;
}

export function readRun(paths: Paths, id: string, costs: Map<string, number>): RunInfo {
  const dir = paths.run(id);
  const res = readJsonOr<ResultFile | null>(paths.runResult(id), null) ?? {};
  let ts = str(res.ts);
  if (!ts || !Number.isFinite(Date.parse(ts))) {
    try {
      ts = statSync(dir).mtime.toISOString();
    } catch {
      ts = new Date(0).toISOString();
    }
  }
  const fileCost = typeof res.cost_usd === 'number' && Number.isFinite(res.cost_usd) ? res.cost_usd : null;
  return {
    id,
    ts,
    result: str(res.result) ?? 'unknown',
    action: str(res.action),
    reason: str(res.reason),
    journal: str(res.journal),
    cost_usd: fileCost ?? costs.get(id) ?? null,
    dir,
  };
}

/** Oldest first, like the journal. */
export function listRuns(paths: Paths, costs: Map<string, number>): RunInfo[] {
  return runIds(paths)
    .map((id) => readRun(paths, id, costs))
    .sort((a, b) => compareText(a.ts, b.ts) || byId(a, b));
}
