// Opening a worker's window on its host: start, restart and resume share it (the same wrapper, environment
// and transcript as at home, all kept on the host).
import { randomUUID } from 'node:crypto';
import { attachTranscript, killWindow, openWindow, readyWrapper, respawnPane, type Remote } from '../tmux.ts';
import { channel, envBody, windowOptions, type FleetCtx } from './launch.ts';
import { passedEnv } from './pass-env.ts';
import { hostSignals, remoteHelper, remoteOf, remoteSession, remoteSettings, sshScript, type HostState } from './remote.ts';
import { shellQuote } from '../runners.ts';

/**
 * The files of a new life of a worker's window on its host: its environment (a private file there, never
 * in argv) and its signals (claude's settings; empty events and status, so the last life's do not speak).
 */
export function remoteLaunchFiles(ctx: FleetCtx, state: HostState, id: string): { envFile: string; files: Record<string, string> } {
  const signals = hostSignals(state, id, remoteSettings(state, id));
  const env = { ...passedEnv(ctx.env), LOOOP_SESSION_ID: id, LOOOP_HOST: state.host, LOOOP_BIN: remoteHelper(state), LOOOP_REMOTE_SOCKET: remoteOf(state).socket, ...signals.env };
  const envFile = `${remoteSession(state, id)}/.env-${randomUUID().slice(0, 12)}`;
  return { envFile, files: { [envFile]: envBody(env), ...signals.files } };
}

export interface RemoteLaunch {
  id: string;
  command: string;
  runner: string;
  /** Absolute paths on the host. */
  cwd: string;
  envFile: string;
  log: string;
  /** The transcript's size before this run (where its output starts). */
  logStart: number;
}

/** Opens the worker's window on its host (or respawns the pane of `row`); returns once the command runs, logged. */
export async function openRemote(remote: Remote, spec: RemoteLaunch, row?: { windowId: string; paneId: string }): Promise<void> {
  try {
    await launch(remote, spec, row);
  } catch (err) {
    // The window's wrapper deletes its environment file when it starts; one that never started cannot.
    await sshScript(remote, `rm -f ${shellQuote(spec.envFile)}\n`).catch(() => undefined);
    throw err;
  }
}

async function launch(remote: Remote, spec: RemoteLaunch, row?: { windowId: string; paneId: string }): Promise<void> {
  const ch = channel();
  const argv = readyWrapper(remote.socket, ch, spec.command, spec.envFile);
  const options = windowOptions({ id: spec.id, role: 'worker', command: spec.command, runner: spec.runner }, spec.logStart);
  if (row) {
    await respawnPane(remote, row.paneId, { cwd: spec.cwd, argv });
    await attachTranscript(remote, row, spec.log, ch, options);
    return;
  }
  const target = await openWindow(remote, { name: spec.id, cwd: spec.cwd, argv });
  try {
    await attachTranscript(remote, target, spec.log, ch, options);
  } catch (err) {
    await killWindow(remote, target.windowId).catch(() => undefined);
    throw err;
  }
}
