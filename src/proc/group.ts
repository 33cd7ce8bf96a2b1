// The one way looop runs a shell script: bash in its own process group, orphan guard on fd 3, hard timeout,
// bounded output, and the whole group killed when the script ends (nothing it started outlives it).
import { appendFileSync, closeSync, openSync, truncateSync } from 'node:fs';
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { GUARD_FD, ORPHAN_GUARD } from '../beat/orphan-guard.ts';
import { fileSize } from '../file-size.ts';

export interface GroupRun {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Killed for printing more than OUTPUT_CAP_BYTES (a command printing forever would fill the disk). */
  overflowed: boolean;
  ms: number;
}

export interface CapturedRun {
  stdout: string;
  /** All bytes printed on stdout (only the first maxBytes+ are kept). */
  bytes: number;
  stderr: string;
  code: number;
  timedOut: boolean;
}

interface GroupSpec {
  script: string;
  /** $0, $1… of the script. */
  args?: string[];
  login?: boolean;
  cwd: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
}

const OUTPUT_CAP_BYTES = 64 * 1024 * 1024;
export const OUTPUT_CAP_TEXT = '64 MiB';

function killGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}

function spawnGroup(spec: GroupSpec, stdio: StdioOptions): ChildProcess {
  // stdin may be a socketpair: with SHLVL unset (cron, the pulse) bash would take it for sshd and source ~/.bashrc.
  const env = { ...spec.env, SHLVL: spec.env?.SHLVL || '1' };
  return spawn('bash', [spec.login ? '-lc' : '-c', ORPHAN_GUARD + spec.script, ...(spec.args ?? [])], { cwd: spec.cwd, env, detached: true, stdio });
}

/** Output goes to a file (the command writes it itself: piped through us, a flood would cost our memory and starve our timers). */
export async function runInGroup(opts: GroupSpec & { input?: string; outputFile: string }): Promise<GroupRun> {
  const started = Date.now();
  let timedOut = false;
  let overflowed = false;
  const out = openSync(opts.outputFile, 'a', 0o600);
  let child: ChildProcess;
  try {
    child = spawnGroup(opts, ['pipe', out, out, 'pipe']);
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
    if (!overflowed && fileSize(opts.outputFile) > OUTPUT_CAP_BYTES) {
      overflowed = true;
      stop();
    }
  }, 250);
  const res = await ended;
  clearTimeout(timer);
  clearInterval(watch);
  // Anything the command left running in its group goes with it (the guard included, which closes fd 3).
  killGroup(child.pid, 'SIGKILL');
  child.stdio[GUARD_FD]?.destroy();
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

/** Output captured in memory: stdout kept up to maxBytes (the rest only counted), the last few KiB of stderr; killed at once at the timeout. */
export function runCaptured(opts: GroupSpec & { maxBytes: number }): Promise<CapturedRun> {
  return new Promise((resolve) => {
    const child = spawnGroup(opts, ['ignore', 'pipe', 'pipe', 'pipe']);
    const out: Buffer[] = [];
    let kept = 0;
    let bytes = 0;
    let stderr = '';
    let timedOut = false;
    let settled = false;
    child.stdout!.on('data', (d: Buffer) => {
      bytes += d.length;
      if (kept <= opts.maxBytes) {
        out.push(d);
        kept += d.length;
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.length > 8192) stderr = stderr.slice(-4096);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, opts.timeoutMs);
    const finish = (code: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out).toString('utf8'), bytes, stderr, code, timedOut });
    };
    child.on('error', (err) => {
      stderr += String(err.message);
      finish(127);
    });
    child.on('exit', (code, signal) => {
      const status = code ?? 128 + (signal ? signalNumber(signal) : 0);
      // Children that outlive the script die with its group; then the pipes close.
      killGroup(child.pid, 'SIGKILL');
      const grace = setTimeout(() => {
        child.stdout!.destroy();
        child.stderr!.destroy();
        child.stdio[GUARD_FD]?.destroy();
        finish(status);
      }, 1000);
      child.on('close', () => {
        clearTimeout(grace);
        finish(status);
      });
    });
  });
}

function signalNumber(sig: NodeJS.Signals): number {
  const table: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };
  return table[sig] ?? 0;
}
