// Managing worker windows: start-session, restart, kill, prune, resize.
import { readFileSync } from 'node:fs';
import { context } from '../context.ts';
import { loadConfig } from '../config.ts';
import { startWorker } from '../fleet/index.ts';
import { killWorker, pruneFinished, resizeWorker, restartWorker } from '../fleet/control.ts';
import { attachCommand } from '../tmux.ts';
import type { Command } from './define.ts';
import { handle } from './define.ts';
import { journalByHand } from '../beat/by-hand.ts';

interface StartArgs {
  id: string;
  prompt: string;
  runner?: string;
  cwd?: string;
  json?: boolean;
}

async function startSession(a: StartArgs): Promise<number> {
  const ctx = context();
  const config = await loadConfig(ctx.configPath, { cachePath: ctx.paths.configCache });
  const brief = a.prompt === '-' ? readFileSync(0, 'utf8') : String(a.prompt);
  const runner = a.runner ?? config.default;
  await startWorker(ctx, config, String(a.id), brief, runner, { cwd: a.cwd });
  await journalByHand(ctx, `started worker ${a.id} (${runner})`);
  if (a.json) {
    process.stdout.write(JSON.stringify({ id: a.id, runner, prompt_file: ctx.paths.workerPrompt(a.id), transcript: ctx.paths.transcript(a.id) }) + '\n');
  } else {
    process.stdout.write(`started ${a.id} (${runner}); watch: looop watch ${a.id} · attach: looop attach ${a.id} · or: ${attachCommand(ctx.paths.socket)}\n`);
  }
  return 0;
}

const say = (json: boolean | undefined, obj: Record<string, unknown>, line: string) =>
  process.stdout.write(json ? JSON.stringify(obj) + '\n' : line + '\n');

export const sessionCommands: Command[] = [
  {
    command: 'start-session <id> <prompt> [runner]',
    describe: "start a worker: a window on the profile's tmux server running the runner's interactive command with the worker contract + this brief (\"-\" reads the brief from stdin)",
    builder: (y) =>
      y
        .positional('id', { type: 'string', describe: 'letters, digits, -, _, . (not leading); "pulse" is reserved' })
        .positional('prompt', { type: 'string', describe: 'the brief' })
        .positional('runner', { type: 'string', describe: 'a runner from the config (default: the config\'s "default")' })
        .option('cwd', { type: 'string', describe: 'the directory the worker works in (must exist; relative to the data dir); default: the data dir' })
        .option('json', { type: 'boolean', describe: 'print {id,runner,prompt_file,transcript}' }),
    handler: handle(startSession),
  },
  {
    command: 'restart <id>',
    describe: "run a worker's recorded command afresh: a NEW conversation (its process is killed first if alive; transcript appended); `looop resume` continues the old one",
    builder: (y) => y.positional('id', { type: 'string' }).option('json', { type: 'boolean' }),
    handler: handle(async (a: { id: string; json?: boolean }) => {
      await restartWorker(context(), String(a.id));
      await journalByHand(context(), `restarted ${a.id}`);
      say(a.json, { id: a.id, restarted: true }, `restarted ${a.id}`);
      return 0;
    }),
  },
  {
    command: 'kill <id> [reason...]',
    describe: 'stop a worker and everything it started; its window stays (marked killed) and its transcript is kept',
    builder: (y) => y.positional('id', { type: 'string' }).positional('reason', { type: 'string', array: true }).option('json', { type: 'boolean' }),
    handler: handle(async (a: { id: string; reason?: string[]; json?: boolean }) => {
      const reason = (a.reason ?? []).join(' ') || 'killed by hand';
      await killWorker(context(), String(a.id), reason);
      await journalByHand(context(), `killed worker ${a.id}: ${reason}`);
      say(a.json, { id: a.id, killed: true, reason }, `killed ${a.id}`);
      return 0;
    }),
  },
  {
    command: 'prune',
    describe: 'remove the windows of finished (exited or killed) workers now; transcripts stay in sessions/',
    builder: (y) => y.option('json', { type: 'boolean', describe: 'print {pruned:[ids]}' }),
    handler: handle(async (a: { json?: boolean }) => {
      const gone = await pruneFinished(context());
      say(a.json, { pruned: gone }, gone.length ? `pruned ${gone.join(', ')}` : 'nothing to prune');
      return 0;
    }),
  },
  {
    command: 'resize <id> <size>',
    describe: "resize a worker's window, e.g. `looop resize fix-ci 120x40` (COLSxROWS)",
    builder: (y) => y.positional('id', { type: 'string' }).positional('size', { type: 'string' }),
    handler: handle(async (a: { id: string; size: string }) => {
      await resizeWorker(context(), String(a.id), String(a.size));
      return 0;
    }),
  },
];
