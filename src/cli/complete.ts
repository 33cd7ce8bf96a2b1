// The hidden `looop _complete ids|claims|runs`: live names for the completion scripts, fast
// (no config, one tmux call at most).
import { context } from '../context.ts';
import { UsageError } from '../errors.ts';

export async function complete(args: { what: string }): Promise<number> {
  const ctx = context();
  let names: string[] = [];
  if (args.what === 'ids') {
    const { readWorkers } = await import('../fleet/windows.ts');
    names = (await readWorkers(ctx.paths.socket, ctx.env).catch(() => [])).map((w) => w.id);
  } else if (args.what === 'claims') {
    const { claimNames } = await import('../claims/read.ts');
    names = claimNames(ctx);
  } else if (args.what === 'runs') {
    const { runIds } = await import('../history/runs.ts');
    names = runIds(ctx.paths).sort().reverse();
  } else throw new UsageError('looop _complete ids|claims|runs');
  if (names.length) process.stdout.write(names.join('\n') + '\n');
  return 0;
}
