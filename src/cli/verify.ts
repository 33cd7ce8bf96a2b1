// `looop done [id]` (a worker says it is done: its verify runs) and `looop verify <id>` (run it again by hand).
import { journalByHand } from '../beat/by-hand.ts';
import { writeFileAtomic } from '../atomic.ts';
import { context } from '../context.ts';
import { InvalidInputError, LockedError, NotFoundError, UsageError } from '../errors.ts';
import { readRecord } from '../fleet/record.ts';
import { verifyWord } from '../fleet/verify.ts';
import { readWindows } from '../fleet/windows.ts';
import { safeText } from '../sanitize-text.ts';
import { loadIsland } from '../island.ts';

function worker(id: string | undefined, verb: string) {
  const name = id ?? process.env.LOOOP_SESSION_ID;
  if (!name) throw new UsageError(`${verb} needs a worker id (or run it inside a worker, where $LOOOP_SESSION_ID is set)`);
  const ctx = context();
  const rec = readRecord(ctx.paths, name);
  if (!rec) throw new NotFoundError(`no worker "${name}" on this profile (see \`looop ls\`)`);
  return { ctx, rec };
}

export async function done(a: { id?: string; json?: boolean }): Promise<number> {
  const { ctx, rec } = worker(a.id, 'done');
  writeFileAtomic(ctx.paths.workerDone(rec.id), `${Math.floor(Date.now() / 1000)}\n`, 0o600);
  await journalByHand(ctx, `${rec.id} says it is done`);
  if (a.json) process.stdout.write(JSON.stringify({ id: rec.id, done: true, verify: rec.verify ?? null }) + '\n');
  else process.stdout.write(rec.verify ? `${rec.id} done; its verify runs at the next look (\`looop ls\` shows the result)\n` : `${rec.id} done (it has no verify command)\n`);
  return 0;
}

export async function verify(a: { id: string; json?: boolean }): Promise<number> {
  const { ctx, rec } = worker(String(a.id), 'verify');
  if (!rec.verify) throw new InvalidInputError(`worker "${rec.id}" has no verify command (give one with start-session --verify)`);
  const row = (await readWindows(ctx.paths.socket, ctx.env).catch(() => [])).find((r) => r.id === rec.id && r.role === 'worker');
  const { runVerify } = await loadIsland(() => import('../fleet/verify-run.ts'));
  const r = await runVerify(ctx, rec.id, row?.startedAt ?? rec.resumed_at ?? rec.started_at);
  if (!r) throw new LockedError(`a verify of "${rec.id}" is already running; see \`looop ls\``);
  await journalByHand(ctx, `verified ${rec.id} by hand: ${r.status}`);
  if (a.json) process.stdout.write(JSON.stringify({ id: rec.id, status: r.status, exit_code: r.exit_code, tail: r.tail }) + '\n');
  else {
    const tail = safeText(r.tail.trimEnd());
    process.stdout.write(`${rec.id} ${verifyWord(r)} (\`${safeText(r.cmd)}\` exit ${r.exit_code ?? '-'})\n${tail ? tail + '\n' : ''}`);
  }
  return r.status === 'verified' ? 0 : 1;
}
