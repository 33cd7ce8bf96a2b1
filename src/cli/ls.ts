// `looop ls [--json] [--watch]`: the fleet in one tmux call (a hot verb: no config); lost workers from the records.
import { context } from '../context.ts';
import { useColor } from '../events.ts';
import { fleetTable } from '../fleet/format.ts';
import { perceiveInfos } from '../fleet/perceive.ts';
import { readWorkers } from '../fleet/windows.ts';
import { withWhere } from '../fleet/where.ts';

interface LsArgs {
  json?: boolean;
  watch?: boolean;
}

export async function ls(args: LsArgs): Promise<number> {
  const ctx = context();
  const render = async () => {
    const workers = await withWhere(ctx.paths, await perceiveInfos(ctx, await readWorkers(ctx.paths.socket, ctx.env), { write: false }));
    return args.json ? JSON.stringify(workers) + '\n' : fleetTable(workers, useColor());
  };
  if (!args.watch) {
    process.stdout.write(await render());
    return 0;
  }
  const tty = Boolean(process.stdout.isTTY);
  let last = '';
  for (;;) {
    const text = await render();
    // Ages tick every second; on a pipe only real changes are worth a new document.
    const key = args.json ? text.replace(/"(age_s|idle_s)":\d+/g, '') : text;
    if (tty && !args.json) process.stdout.write(`\x1b[H\x1b[2J${text}`);
    else if (key !== last) process.stdout.write(text);
    last = key;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
