// `looop _fmt` (runner stream -> progress + spend), `looop _cost` (self-report), `looop cost` (totals).
import { context } from '../context.ts';
import { errorMessage, UsageError } from '../errors.ts';
import { checkId } from '../ids.ts';

export async function fmt(): Promise<number> {
  const ctx = context();
  const { runFmt } = await import('../cost/fmt.ts');
  return runFmt({ input: process.stdin, stdout: process.stdout, stderr: process.stderr, env: ctx.env, ledger: ctx.paths.cost });
}

interface CostArgs {
  kind: string;
  id: string;
  runner: string;
  usd: string | number;
}

export async function selfReport(args: CostArgs): Promise<number> {
  const ctx = context();
  const { appendCost, COST_KINDS } = await import('../cost/ledger.ts');
  if (!(COST_KINDS as readonly string[]).includes(args.kind)) throw new UsageError(`kind must be one of ${COST_KINDS.join(', ')}, got "${args.kind}"`);
  const id = checkId('id', String(args.id), { allowPulse: true });
  const runner = checkId('runner', String(args.runner), { allowPulse: true });
  const raw = String(args.usd).replace(/^\$/, '');
  const usd = Number(raw);
  // Plain decimals only: "1e3" is a typo, not a thousand dollars.
  if (!/^\d+(\.\d+)?$/.test(raw) || !Number.isFinite(usd)) throw new UsageError(`usd must be a number of dollars >= 0, got "${args.usd}"`);
  const row = appendCost(ctx.paths.cost, { kind: args.kind, id, runner, cost_usd: usd });
  process.stdout.write(`recorded $${row.cost_usd} for ${row.kind} ${row.id} (${row.runner})\n`);
  return 0;
}

export async function report(args: { range?: string; json?: boolean }): Promise<number> {
  const ctx = context();
  const { readLedger } = await import('../cost/ledger.ts');
  const { summarise, formatReport, RANGES } = await import('../cost/report.ts');
  const range = (args.range ?? 'today') as (typeof RANGES)[number];
  if (!RANGES.includes(range)) throw new UsageError(`range must be one of ${RANGES.join(', ')}, got "${args.range}"`);
  const ledger = readLedger(ctx.paths.cost);
  if (ledger.bad.length) {
    const which = ledger.bad.slice(0, 5).join(', ') + (ledger.bad.length > 5 ? ', …' : '');
    process.stderr.write(`looop: warning: skipped ${ledger.bad.length} malformed line(s) in ${ctx.paths.cost} (line ${which})\n`);
  }
  let capUsd: number | null = null;
  try {
    const { loadConfig } = await import('../config.ts');
    capUsd = (await loadConfig(ctx.configPath, { cachePath: ctx.paths.configCache, env: ctx.env })).maxDailyUsd;
  } catch (err) {
    process.stderr.write(`looop: warning: daily cap unknown: ${errorMessage(err)}\n`);
  }
  const r = summarise(ledger.rows, range, new Date(), { capUsd, skipped: ledger.bad.length });
  process.stdout.write(args.json ? JSON.stringify(r) + '\n' : formatReport(r));
  return 0;
}
