// Today's spend from cost.jsonl, for the BUDGET guard (sync, no zod: runs on every beat that would decide).
import dayjs from 'dayjs';
import { readTextOr } from '../atomic.ts';
import type { Paths } from '../paths.ts';

export function spentOnDay(paths: Paths, day: Date): number {
  const text = readTextOr(paths.cost, '');
  const want = dayjs(day).format('YYYY-MM-DD');
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const row = JSON.parse(line) as { ts?: string; cost_usd?: number };
      if (typeof row.cost_usd === 'number' && row.ts && dayjs(row.ts).format('YYYY-MM-DD') === want) sum += row.cost_usd;
    } catch {
      // malformed ledger lines are skipped (looop cost warns about them)
    }
  }
  return sum;
}
