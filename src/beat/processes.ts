// Runs a shell command the way the beat needs: own process group, stdin text, output to a file, hard timeout.
import { readFileSync, statSync } from 'node:fs';
import { execa, type Options } from 'execa';
import { ORPHAN_GUARD } from './orphan-guard.ts';

export interface GroupRun {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  ms: number;
}

function killGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}

/** bash -c (or -lc) in its own process group; the whole group is killed at the timeout and after exit. */
export async function runInGroup(opts: {
  script: string;
  login?: boolean;
  cwd: string;
  env: Record<string, string | undefined>;
  input?: string;
  outputFile: string;
  timeoutMs: number;
}): Promise<GroupRun> {
  const started = Date.now();
  let timedOut = false;
  const options: Options = {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: false,
    input: opts.input ?? '',
    // fd 3 is the orphan guard's pipe (orphan-guard.ts).
    stdio: ['pipe', { file: opts.outputFile, append: true }, { file: opts.outputFile, append: true }, 'pipe'],
    detached: true,
    reject: false,
  };
  const child = execa('bash', [opts.login ? '-lc' : '-c', ORPHAN_GUARD + opts.script], options);
  // The guard holds fd 3 until its group dies: end the group when the command exits, not after.
  child.on('exit', () => killGroup(child.pid, 'SIGKILL'));
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid, 'SIGTERM');
    setTimeout(() => killGroup(child.pid, 'SIGKILL'), 2000).unref();
  }, opts.timeoutMs);
  const res = await child;
  clearTimeout(timer);
  // Anything the command left running in its group goes with it.
  killGroup(child.pid, 'SIGKILL');
  return { exitCode: res.exitCode ?? null, signal: res.signal ?? null, timedOut, ms: Date.now() - started };
}

/** The last `bytes` of a file, ANSI escapes stripped. */
export function fileTail(path: string, bytes = 2000): string {
  try {
    const size = statSync(path).size;
    const buf = readFileSync(path);
    const text = buf.subarray(Math.max(0, size - bytes)).toString('utf8');
    // eslint-disable-next-line no-control-regex
    return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\r/g, '');
  } catch {
    return '';
  }
}

export function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines[lines.length - 1] ?? '';
  return line.length > 300 ? line.slice(0, 300) + '…' : line;
}
