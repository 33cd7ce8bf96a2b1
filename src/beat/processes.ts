// Runs a shell command the way the beat needs: own process group, stdin text, output to a file, hard timeout.
import { appendFileSync, closeSync, openSync, readSync, statSync, truncateSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { ORPHAN_GUARD } from './orphan-guard.ts';

export interface GroupRun {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Killed for printing more than OUTPUT_CAP_BYTES (a command printing forever would fill the disk). */
  overflowed: boolean;
  ms: number;
}

export const OUTPUT_CAP_BYTES = 64 * 1024 * 1024;
export const OUTPUT_CAP_TEXT = '64 MiB';

function killGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}

/** bash -c (or -lc) in its own process group; the whole group is killed at the timeout, at the output cap and after exit. */
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
  let overflowed = false;
  // The command writes its output file itself: piped through us, a flood would cost our memory and starve our timers.
  const out = openSync(opts.outputFile, 'a', 0o600);
  let child: ChildProcess;
  try {
    // fd 3 is the orphan guard's pipe (orphan-guard.ts).
    // stdin is a socketpair: with SHLVL unset (cron, the pulse) bash would take it for sshd and source ~/.bashrc.
    const env = { ...opts.env, SHLVL: opts.env?.SHLVL || '1' };
    child = spawn('bash', [opts.login ? '-lc' : '-c', ORPHAN_GUARD + opts.script], { cwd: opts.cwd, env, detached: true, stdio: ['pipe', out, out, 'pipe'] });
  } finally {
    closeSync(out);
  }
  const ended = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.on('error', () => resolve({ code: 127, signal: null }));
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  // A command that never reads its input must not fail us with EPIPE.
  child.stdin!.on('error', () => undefined);
  child.stdin!.end(opts.input ?? '');
  const stop = () => {
    killGroup(child.pid, 'SIGTERM');
    setTimeout(() => killGroup(child.pid, 'SIGKILL'), 2000).unref();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, opts.timeoutMs);
  const watch = setInterval(() => {
    if (!overflowed && sizeOf(opts.outputFile) > OUTPUT_CAP_BYTES) {
      overflowed = true;
      stop();
    }
  }, 250);
  const res = await ended;
  clearTimeout(timer);
  clearInterval(watch);
  // Anything the command left running in its group goes with it (the guard included, which closes fd 3).
  killGroup(child.pid, 'SIGKILL');
  child.stdio[3]?.destroy();
  // A fast flood overshoots the cap between two looks; the archive keeps the cap's worth.
  if (overflowed) capFile(opts.outputFile);
  return { exitCode: res.code, signal: res.signal, timedOut, overflowed, ms: Date.now() - started };
}

function capFile(path: string): void {
  try {
    truncateSync(path, OUTPUT_CAP_BYTES);
    appendFileSync(path, `\n[looop: output cut at ${OUTPUT_CAP_TEXT}]\n`);
  } catch {
    // the disk is the problem; the beat fails anyway
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The last `bytes` of a file, ANSI escapes stripped. */
export function fileTail(path: string, bytes = 2000): string {
  try {
    // Only the tail is read: the file may hold up to OUTPUT_CAP_BYTES.
    const size = statSync(path).size;
    const buf = Buffer.alloc(Math.min(bytes, size));
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buf, 0, buf.length, size - buf.length);
    } finally {
      closeSync(fd);
    }
    const text = buf.toString('utf8');
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
