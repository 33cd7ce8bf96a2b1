// The Fleet the beat uses, over the profile's tmux server (one window per worker).
import type { Config } from '../config.ts';
import { InvalidInputError } from '../errors.ts';
import { writeFileAtomic } from '../atomic.ts';
import { expandTemplate, INSTALL_HINTS } from '../runners.ts';
import { workerPrompt } from './contract.ts';
import { flagBlocked } from './blocked.ts';
import { assertOnPath, clearSlot, openLogged, type FleetCtx } from './launch.ts';
import { killWorker, notifyClients, reapFinished, restartWorker } from './control.ts';
import { sendKeys, sendText } from './steer.ts';
import type { Fleet } from './types.ts';
import { info, readWorkers, workerId } from './windows.ts';
import { agentCliOf, writeRecord } from './record.ts';

export type StartConfig = Pick<Config, 'runners' | 'default' | 'maxWorkers'>;

/** Starts a worker: prompt file = contract + brief, written before its window opens. */
export async function startWorker(ctx: FleetCtx, config: StartConfig, id: string, brief: string, runnerName?: string): Promise<void> {
  workerId(id);
  const name = runnerName ?? config.default;
  const runner = config.runners[name];
  if (!runner) throw new InvalidInputError(`unknown runner "${name}" (configured: ${Object.keys(config.runners).join(', ')})`);
  if (!runner.interactive) throw new InvalidInputError(`runner "${name}" has no "interactive" command in the config`);
  if (!brief.trim()) throw new InvalidInputError(`worker "${id}" needs a brief (the prompt text)`);
  assertOnPath(runner.interactive, name, ctx.paths.root, INSTALL_HINTS[name]);
  await clearSlot(ctx, id, { maxWorkers: config.maxWorkers });
  const promptFile = ctx.paths.workerPrompt(id);
  writeFileAtomic(promptFile, workerPrompt(id, name, brief));
  const command = expandTemplate(runner.interactive, { prompt_file: promptFile });
  await openLogged(ctx, { id, role: 'worker', command, runner: name });
  writeRecord(ctx.paths, { id, runner: name, cli: agentCliOf(name, runner.interactive), command, cwd: ctx.paths.root, prompt_file: promptFile, started_at: Math.floor(Date.now() / 1000), live: true });
}

export function createFleet(ctx: FleetCtx, config: StartConfig): Fleet {
  return {
    list: async () => (await flagBlocked(ctx, await readWorkers(ctx.paths.socket, ctx.env))).map(info),
    start: (id, brief, runner) => startWorker(ctx, config, id, brief, runner),
    steer: async (id, input) => {
      const res = await sendText(ctx, id, input);
      if (!res.submitted) throw new InvalidInputError(`typed into "${id}" but the text was not submitted (still in its input line after ${res.enters} Enter presses)`);
    },
    sendKeys: (id, keys) => sendKeys(ctx, id, keys),
    restart: (id) => restartWorker(ctx, id),
    kill: async (id, reason) => {
      await killWorker(ctx, id, reason);
    },
    reapFinished: (ttlS) => reapFinished(ctx, ttlS),
    notify: (message) => notifyClients(ctx, message),
  };
}

export type { Fleet, WorkerInfo } from './types.ts';
