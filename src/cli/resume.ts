// `looop resume <id>|--lost` continues workers' own conversations; `looop diff <id> [--stat]` shows what one changed.
import { context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { resumeLost, resumeWorker } from '../fleet/resume.ts';
import { workerDiff } from '../fleet/where.ts';
import type { Command } from './define.ts';
import { handle } from './define.ts';

interface ResumeArgs {
  id?: string;
  lost?: boolean;
  json?: boolean;
}

async function resume(a: ResumeArgs): Promise<number> {
  const ctx = context();
  if (Boolean(a.lost) === Boolean(a.id)) throw new UsageError('resume takes a worker id, or --lost for every lost worker');
  if (a.id) {
    await resumeWorker(ctx, String(a.id));
    process.stdout.write(a.json ? JSON.stringify({ resumed: [a.id], failed: [] }) + '\n' : `resumed ${a.id}; watch: looop watch ${a.id}\n`);
    return 0;
  }
  const res = await resumeLost(ctx);
  const ok = res.filter((r) => !r.error).map((r) => r.id);
  const failed = res.filter((r) => r.error);
  if (a.json) process.stdout.write(JSON.stringify({ resumed: ok, failed }) + '\n');
  else {
    if (!res.length) process.stdout.write('no lost workers on this profile\n');
    if (ok.length) process.stdout.write(`resumed ${ok.join(', ')}\n`);
    for (const f of failed) process.stderr.write(`${f.id}: ${f.error}\n`);
  }
  return failed.length ? 1 : 0;
}

export const resumeCommands: Command[] = [
  {
    command: 'resume [id]',
    describe: "continue a worker's own conversation in its own directory (exited, killed, or lost when the tmux server or the machine died); --lost: every lost worker",
    builder: (y) =>
      y
        .positional('id', { type: 'string' })
        .option('lost', { type: 'boolean', describe: 'resume every worker whose window is gone' })
        .option('json', { type: 'boolean', describe: 'print {resumed:[ids],failed:[{id,error}]}' }),
    handler: handle(resume),
  },
  {
    command: 'diff <id>',
    describe: "the worker's uncommitted changes in the git work tree it is in (git diff HEAD)",
    builder: (y) => y.positional('id', { type: 'string' }).option('stat', { type: 'boolean', describe: 'only the diffstat' }),
    handler: handle(async (a: { id: string; stat?: boolean }) => {
      const ctx = context();
      process.stdout.write(await workerDiff(ctx.paths, ctx.paths.socket, String(a.id), { stat: a.stat }));
      return 0;
    }),
  },
];
