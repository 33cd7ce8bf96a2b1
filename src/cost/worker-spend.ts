// A claude worker's spend: its status line command keeps claude's own running cost of the session
// (cost.total_cost_usd) in sessions/<id>/status.json; what was not yet booked goes to the ledger as a
// `session` row, so `looop cost` and max_daily_usd see workers. (pi's extension books its own rows.)
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../atomic.ts';
import type { Paths } from '../paths.ts';
import { appendCost } from './ledger.ts';

interface Booked {
  session: string;
  usd: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- claude's status-line JSON, read field by field
const readJson = (file: string): Record<string, any> | null => {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return v && typeof v === 'object' ? (v as Record<string, any>) : null;
  } catch {
    return null;
  }
};

/** The amount not yet booked for this session (a new session starts from zero); pure. */
export function unbooked(total: number, session: string, booked: Booked | null): number {
  if (!Number.isFinite(total) || total <= 0) return 0;
  const done = booked && booked.session === session ? booked.usd : 0;
  return total > done ? total - done : 0;
}

/** Books the worker's new spend; returns the amount booked (0 when nothing new). */
export function bookWorkerSpend(paths: Paths, id: string, runner: string): number {
  const status = readJson(paths.workerStatus(id));
  const total = Number(status?.cost?.total_cost_usd);
  const session = String(status?.session_id ?? '');
  if (!status || !Number.isFinite(total)) return 0;
  const booked = readJson(paths.workerSpend(id)) as Booked | null;
  const add = unbooked(total, session, booked);
  if (add < 1e-6) return 0;
  writeFileAtomic(paths.workerSpend(id), JSON.stringify({ session, usd: total }) + '\n', 0o600);
  appendCost(paths.cost, { kind: 'session', id, runner, cost_usd: add });
  return add;
}
