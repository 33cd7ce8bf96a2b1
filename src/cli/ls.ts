// `looop ls [--json] [--watch]`: the fleet in one tmux call (a hot verb: no yargs, no config); lost workers from the records.
import { context } from '../context.ts';
import { useColor } from '../events.ts';
import { fleetTable } from '../fleet/format.ts';
import { perceiveInfos } from '../fleet/perceive.ts';
import { readWorkers } from '../fleet/windows.ts';
import { withLostAndWhere } from '../fleet/where.ts';
import type { Command } from './define.ts';
import { handle } from './define.ts';
import type { FastSpec } from './fast.ts';

interface LsArgs {
  json?: boolean;
  watch?: boolean;
}

async function ls(args: LsArgs): Promise<number> {
  const ctx = context();
  const render = async () => {
    const workers = await withLostAndWhere(ctx.paths, await perceiveInfos(ctx, await readWorkers(ctx.paths.socket, ctx.env), { write: false }));
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

export const fastLs: FastSpec = { booleans: ['json', 'watch'], run: ls };

export const lsCommands: Command[] = [
  {
    command: 'ls',
    describe: "list this profile's workers (lost ones too: live in looop's records, gone from tmux): id, state (starting working waiting asking flagged stuck exited killed lost), exit code, age, idle, where (directory, git branch and diffstat), ⚑ note",
    builder: (y) =>
      y
        .option('json', { type: 'boolean', describe: 'one JSON array: [{id,state,source,alive,exit_code,flag,age_s,idle_s,pid,runner,since,said,cwd,git:{branch,files,insertions,deletions}}]' })
        .option('watch', { type: 'boolean', describe: 'refresh every second until Ctrl-C (with --json: a new document on each change)' }),
    handler: handle(ls),
  },
];
