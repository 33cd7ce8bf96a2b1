// `looop journal` and `looop runs`: what the loop did, one line per move, and the archive of each decided beat.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { context } from '../context.ts';
import { useColor } from '../events.ts';
import { NotFoundError, UsageError } from '../errors.ts';
import { checkId } from '../ids.ts';
import { localTime, table, terminalWidth, usd } from '../format.ts';
import { safeText } from '../sanitize-text.ts';

interface JournalArgs {
  tail?: number;
  follow?: boolean;
  json?: boolean;
}

export async function journal(args: JournalArgs): Promise<number> {
  const ctx = context();
  if (args.tail !== undefined && (!Number.isInteger(args.tail) || args.tail < 0)) throw new UsageError(`--tail must be a whole number >= 0, got ${args.tail}`);
  const { readJournal, followLines, fileSize, parseJournalLine } = await import('../history/journal.ts');
  const size = fileSize(ctx.paths.journal);
  const entries = readJournal(ctx.paths.journal, args.tail);
  const dim = useColor() ? (s: string) => `\x1b[2m${s}\x1b[0m` : (s: string) => s;
  const human = (e: { ts: string | null; text: string }) => (e.ts ? `${dim(e.ts)} ${safeText(e.text)}` : safeText(e.text));
  if (!args.follow) {
    if (args.json) process.stdout.write(JSON.stringify(entries) + '\n');
    else if (entries.length) process.stdout.write(entries.map(human).join('\n') + '\n');
    return 0;
  }
  // --follow streams: NDJSON with --json (one entry per line), the tail first.
  const print = (e: { ts: string | null; text: string }) => process.stdout.write((args.json ? JSON.stringify(e) : human(e)) + '\n');
  entries.forEach(print);
  const stop = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, () => stop.abort());
  await followLines(ctx.paths.journal, size, (line) => {
    const e = parseJournalLine(line);
    if (e) print(e);
  }, stop.signal);
  return 0;
}

async function loadRuns() {
  const ctx = context();
  const { readLedger } = await import('../cost/ledger.ts');
  const runs = await import('../history/runs.ts');
  return { ctx, runs, costs: runs.costByRun(readLedger(ctx.paths.cost).rows) };
}

const money = (n: number | null) => (n === null ? '-' : usd(n, 4));

export async function listRuns(args: { json?: boolean }): Promise<number> {
  const { ctx, runs, costs } = await loadRuns();
  const list = runs.listRuns(ctx.paths, costs);
  if (args.json) {
    process.stdout.write(JSON.stringify(list) + '\n');
    return 0;
  }
  if (!list.length) {
    process.stdout.write(`no runs yet (${ctx.paths.runs})\n`);
    return 0;
  }
  const rows = [['RUN', 'TIME', 'RESULT', 'ACTION', 'COST', 'WHAT']];
  for (const r of list) rows.push([r.id, localTime(r.ts), r.result, safeText(r.action ?? '-'), money(r.cost_usd), safeText(r.journal ?? r.reason ?? '')]);
  process.stdout.write(table(rows, { width: terminalWidth() }) + '\n');
  return 0;
}

export async function showRun(args: { id: string; json?: boolean; prompt?: boolean }): Promise<number> {
  const { ctx, runs, costs } = await loadRuns();
  const id = checkId('run id', args.id);
  if (!existsSync(ctx.paths.run(id))) throw new NotFoundError(`no run "${id}" in ${ctx.paths.runs} (see \`looop runs\`)`);
  const run = runs.readRun(ctx.paths, id, costs);
  const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : null);
  const promptPath = ctx.paths.runPrompt(id);
  const outputPath = ctx.paths.runOutput(id);
  if (args.json) {
    process.stdout.write(JSON.stringify({ ...run, prompt_path: promptPath, output_path: outputPath, output: read(outputPath), prompt: args.prompt ? read(promptPath) : undefined }) + '\n');
    return 0;
  }
  if (args.prompt) {
    const text = read(promptPath);
    if (text === null) throw new NotFoundError(`run "${id}" has no prompt.md`);
    process.stdout.write(safeText(text.endsWith('\n') ? text : text + '\n'));
    return 0;
  }
  const size = (p: string) => (existsSync(p) ? `${(statSync(p).size / 1024).toFixed(1)} KiB` : 'missing');
  const lines = [
    `run     ${run.id}`,
    `time    ${localTime(run.ts)}`,
    `result  ${run.result}${run.action ? ` (${run.action})` : ''}`,
    ...(run.journal ? [`journal ${run.journal}`] : []),
    ...(run.reason ? [`reason  ${run.reason}`] : []),
    `cost    ${money(run.cost_usd)}`,
    `prompt  ${promptPath} (${size(promptPath)}; \`looop runs show ${id} --prompt\`)`,
    `output  ${outputPath} (${size(outputPath)})`,
    '',
  ];
  const out = read(outputPath);
  process.stdout.write(safeText(lines.join('\n') + (out === null ? '(no output.log)\n' : out.endsWith('\n') || !out ? out : out + '\n')));
  return 0;
}
