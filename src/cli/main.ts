// The full CLI (yargs): every verb's usage, help and completion. Hot verbs also have a fast path (fast.ts).
import yargs from 'yargs';
import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.ts';
import { takeExitCode } from './define.ts';
import { VERSION } from '../config.ts';
import { tickCommands } from './tick.ts';
import { lsCommands } from './ls.ts';
import { sendCommands } from './send.ts';
import { flagCommands } from './flags.ts';
import { sessionCommands } from './sessions.ts';
import { inspectCommands } from './inspect.ts';
import { viewCommands } from './view.ts';
import { attachCommands } from './attach.ts';
import { pulseCommands } from './pulse.ts';
import { trustCommands } from './trust.ts';
import { claimCommands } from './claims.ts';
import { costCommands } from './cost.ts';
import { historyCommands } from './history.ts';
import { scheduleCommands } from './schedule.ts';
import { statusCommands } from './status.ts';
import { scheduleFileCommands } from './schedules.ts';
import { helpCommands } from './help.ts';
import { shellConfigCommands } from './shell-config.ts';
import { resumeCommands } from './resume.ts';
import { humanCommands } from './human.ts';
import { explainCommands } from './explain.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Command = CommandModule<any, any>;

const groups: Command[][] = [tickCommands, lsCommands, sendCommands, flagCommands, sessionCommands, inspectCommands, viewCommands, attachCommands, claimCommands, costCommands, historyCommands, scheduleCommands, scheduleFileCommands, statusCommands, helpCommands, shellConfigCommands, resumeCommands, humanCommands, pulseCommands, trustCommands, explainCommands];

export async function runCli(argv: string[]): Promise<number> {
  const cli = yargs(argv)
    .scriptName('looop')
    .usage('looop — a tiny, Kubernetes-shaped control loop for your work, native to tmux\n\nUsage: looop <command> [options]')
    .version(VERSION)
    .alias('version', 'V')
    .help()
    .alias('help', 'h')
    .strict()
    .recommendCommands()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      throw new UsageError(`${msg} (see looop --help)`);
    });
  for (const group of groups) for (const cmd of group) cli.command(cmd);
  // No demandCommand: a bare `looop` is the default command ($0), the foreground loop.
  await cli.parseAsync();
  return takeExitCode();
}
