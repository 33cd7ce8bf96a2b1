// The Fleet the beat uses, over the profile's tmux server (one window per worker).
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { Config } from '../config.ts';
import { InvalidInputError } from '../errors.ts';
import { writeFileAtomic } from '../atomic.ts';
import { expandTemplate, INSTALL_HINTS, permissionMode } from '../runners.ts';
import { workerPrompt } from './contract.ts';
import { assertOnPath, clearSlot, openLogged, type FleetCtx } from './launch.ts';
import { registerHosts, remoteOf, remotePiExtension, remoteSession, remoteSettings, setupHost, writeRemoteFiles } from './remote.ts';
import { openRemote, remoteLaunchFiles } from './remote-launch.ts';
import { killWorker, notifyClients, reapFinished, restartWorker } from './control.ts';
import { sendKeys, sendText } from './steer.ts';
import type { Fleet, StartOptions } from './types.ts';
import { resumeWorker, workerCwd } from './resume.ts';
import { withWhere } from './where.ts';
import { readWorkers, workerId } from './windows.ts';
import { perceiveInfos } from './perceive.ts';
import { agentCliOf, writeRecord } from './record.ts';
import { piExtension, writeClaudeSettings } from './hooks.ts';

export type StartConfig = Pick<Config, 'runners' | 'default' | 'maxWorkers'> & Partial<Pick<Config, 'workerPermissions' | 'hosts'>>;

/**
 * Starts a worker: prompt file = contract + brief, written before its window opens. Its
 * conversation id is fixed here and recorded, so `resume` continues exactly this one.
 */
export async function startWorker(ctx: FleetCtx, config: StartConfig, id: string, brief: string, runnerName?: string, opts: StartOptions = {}): Promise<void> {
  workerId(id);
  const name = runnerName ?? config.default;
  const runner = config.runners[name];
  if (!runner) throw new InvalidInputError(`unknown runner "${name}" (configured: ${Object.keys(config.runners).join(', ')})`);
  if (!runner.interactive) throw new InvalidInputError(`runner "${name}" has no "interactive" command in the config`);
  if (!brief.trim()) throw new InvalidInputError(`worker "${id}" needs a brief (the prompt text)`);
  if (opts.host) return startRemote(ctx, config, id, brief, name, opts.host, opts);
  const cwd = workerCwd(ctx.paths.root, opts.cwd);
  assertOnPath(runner.interactive, name, cwd, INSTALL_HINTS[name]);
  await clearSlot(ctx, id, { maxWorkers: config.maxWorkers });
  const promptFile = ctx.paths.workerPrompt(id);
  writeFileAtomic(promptFile, workerPrompt(id, name, brief));
  const sessionId = randomUUID();
  const usesFile = /\{\{session_file\}\}/.test(`${runner.interactive} ${runner.resume ?? ''}`);
  const vars: Record<string, string> = {
    prompt_file: promptFile,
    session_id: sessionId,
    session_file: ctx.paths.piSession(id, sessionId),
    permission_mode: permissionMode(config.workerPermissions),
    pi_extension: piExtension(),
    settings_file: ctx.paths.workerSettings(id),
  };
  if (`${runner.interactive} ${runner.resume ?? ''}`.includes('{{settings_file}}')) writeClaudeSettings(ctx.paths, id);
  const command = expandTemplate(runner.interactive, vars);
  const resume = runner.resume ? expandTemplate(runner.resume, vars) : undefined;
  // A verify result or `done` from an earlier worker by this id is not this one's.
  for (const f of [ctx.paths.workerVerify(id), ctx.paths.workerDone(id)]) rmSync(f, { force: true });
  await openLogged(ctx, { id, role: 'worker', command, runner: name, cwd });
  writeRecord(ctx.paths, {
    id,
    runner: name,
    cli: agentCliOf(name, runner.interactive),
    command,
    ...(resume ? { resume } : {}),
    cwd,
    prompt_file: promptFile,
    started_at: Math.floor(Date.now() / 1000),
    session_id: sessionId,
    ...(usesFile ? { session_file: vars.session_file } : {}),
    ...(opts.verify?.trim() ? { verify: opts.verify.trim() } : {}),
    live: true,
  });
}

/** A worker in a window of the profile's server on another host; its files (prompt, transcript) live there. */
async function startRemote(ctx: FleetCtx, config: StartConfig, id: string, brief: string, name: string, host: string, opts: StartOptions): Promise<void> {
  const cfg = config.hosts?.[host];
  if (!cfg) throw new InvalidInputError(`unknown host "${host}" (configured: ${Object.keys(config.hosts ?? {}).join(', ') || 'none; add "hosts" to the config'})`);
  if (opts.cwd !== undefined && !opts.cwd.startsWith('/')) throw new InvalidInputError(`--cwd on host ${host} must be an absolute path there`);
  // A verify command runs here, against the worker's directory: that directory is on the host.
  if (opts.verify?.trim()) throw new InvalidInputError(`--verify is not available for a worker on another host (host ${host}); check its work with \`looop diff\` or a run_shell there`);
  const state = await setupHost(ctx.paths, host, cfg);
  registerHosts(ctx.paths);
  await clearSlot(ctx, id, { maxWorkers: config.maxWorkers });
  const remote = remoteOf(state);
  const dir = remoteSession(state, id);
  const runner = config.runners[name]!;
  const sessionId = randomUUID();
  const vars: Record<string, string> = {
    prompt_file: `${dir}/prompt.md`,
    session_id: sessionId,
    session_file: `${dir}/pi-${sessionId}.jsonl`,
    permission_mode: permissionMode(config.workerPermissions),
    pi_extension: remotePiExtension(state),
    settings_file: remoteSettings(state, id),
  };
  const command = expandTemplate(runner.interactive!, vars);
  const resume = runner.resume ? expandTemplate(runner.resume, vars) : undefined;
  const prompt = workerPrompt(id, name, brief);
  writeFileAtomic(ctx.paths.workerPrompt(id), prompt);
  const { envFile, files } = remoteLaunchFiles(ctx, state, id);
  const log = `${dir}/output.log`;
  const [logStart = 0] = await writeRemoteFiles(remote, { [vars.prompt_file!]: prompt, ...files }, [log]);
  const cwd = opts.cwd ?? state.dir.replace(/\/\.looop-remote\/[^/]+$/, '');
  // An earlier worker by this id appended to the same transcript there: this run's output starts at its end.
  await openRemote(remote, { id, command, runner: name, cwd, envFile, log, logStart });
  writeRecord(ctx.paths, {
    id,
    runner: name,
    cli: agentCliOf(name, runner.interactive!),
    command,
    ...(resume ? { resume } : {}),
    cwd,
    prompt_file: vars.prompt_file!,
    started_at: Math.floor(Date.now() / 1000),
    session_id: sessionId,
    host,
    live: true,
  });
}

export function createFleet(ctx: FleetCtx, config: StartConfig): Fleet {
  return {
    list: async () => withWhere(ctx.paths, await perceiveInfos(ctx, await readWorkers(ctx.paths.socket, ctx.env), { write: true })),
    start: (id, brief, runner, opts) => startWorker(ctx, config, id, brief, runner, opts),
    steer: async (id, input) => {
      const res = await sendText(ctx, id, input);
      if (!res.submitted) throw new InvalidInputError(`typed into "${id}" but the text was not submitted (still in its input line after ${res.enters} Enter presses)`);
    },
    sendKeys: (id, keys) => sendKeys(ctx, id, keys),
    restart: (id) => restartWorker(ctx, id),
    resume: (id) => resumeWorker(ctx, id),
    kill: async (id, reason) => {
      await killWorker(ctx, id, reason);
    },
    reapFinished: (ttlS) => reapFinished(ctx, ttlS),
    notify: (message) => notifyClients(ctx, message),
  };
}

export type { Fleet, WorkerInfo } from './types.ts';
