// run_shell's boundary: bubblewrap with the whole filesystem read-only, the data dir writable except
// looop's own control state, a private /tmp, no network, no tmux socket, a minimal environment.
import { existsSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { controlPaths, type Paths } from '../paths.ts';
import { which } from '../proc/on-path.ts';
import { shellQuote } from '../runners.ts';

type Env = Record<string, string | undefined>;

/** Variables every sandboxed command keeps; nothing else (no API keys, no TMUX, no SSH agent) unless config names it. */
const KEEP = [/^PATH$/, /^HOME$/, /^USER$/, /^LOGNAME$/, /^LANG$/, /^LC_\w+$/, /^TERM$/, /^TZ$/, /^SHELL$/, /^LOOOP_(BIN|DATA_DIR|CONFIG|CLAIMS_DIR|REPORTS_DIR)$/];

export function sandboxEnv(env: Env, allow: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (KEEP.some((re) => re.test(k)) || allow.includes(k)) out[k] = v;
  }
  return out;
}

export function findBwrap(env: Env): string | null {
  return which('bwrap', env.PATH);
}

export const BWRAP_MISSING =
  'run_shell refused: bubblewrap (bwrap) is not installed, so it cannot run sandboxed; install it (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap; Arch: pacman -S bubblewrap) or set "run_shell": "unsandboxed" in the config';

const inside = (dir: string, p: string) => p === dir || p.startsWith(dir + '/');

/**
 * Directories that may hold sockets (tmux servers, ssh/gpg agents, systemd, dbus, docker): a read-only
 * mount does not stop connect(), so they are replaced by empty tmpfs.
 */
function socketDirs(env: Env, dataDir: string): string[] {
  const dirs = ['/tmp', '/run', '/var/run', tmpdir(), env.TMUX_TMPDIR, env.XDG_RUNTIME_DIR].filter((d): d is string => Boolean(d)).map((d) => resolve(d));
  const real = dirs.filter((d) => existsSync(d)).map((d) => realpathSync(d));
  // A folder holding the data dir is hidden too: the data dir is bound back on top of it.
  return [...new Set(real)].filter((d) => !inside(dataDir, d) && d !== '/');
}

/**
 * bwrap argv (without the command) for a command run in the data dir; with `readOnlyIn`, one that only
 * checks: run in that directory, and nothing outside the private /tmp is writable (a worker's verify).
 */
export function bwrapArgs(paths: Paths, env: Env, configPath: string, readOnlyIn?: string): string[] {
  const data = paths.root;
  const a = ['--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'];
  for (const d of socketDirs(env, data)) a.push('--tmpfs', d);
  // Before the data dir, so the masks below still cover a data dir inside it.
  if (readOnlyIn) a.push('--ro-bind', readOnlyIn, readOnlyIn);
  a.push(readOnlyIn ? '--ro-bind' : '--bind', data, data);
  for (const p of controlPaths(paths)) {
    if (!inside(data, p)) continue;
    if (p === paths.socket) a.push('--ro-bind-try', '/dev/null', p);
    // A read-only mount does not stop connect(): ssh's shared connections are hidden, not just frozen.
    else if (p === paths.sshDir) {
      if (existsSync(p)) a.push('--tmpfs', p);
    } else a.push('--ro-bind-try', p, p);
  }
  // Read-only, and visible even when it lives in a hidden folder (so `looop` works inside).
  a.push('--ro-bind-try', resolve(configPath), resolve(configPath));
  // The socket's fallback folder (long data-dir paths) is under tmpdir(), hidden above.
  if (!inside(data, paths.socket) && existsSync(dirname(paths.socket)) && !socketDirs(env, data).some((d) => inside(d, paths.socket))) {
    a.push('--tmpfs', dirname(paths.socket));
  }
  a.push('--chdir', readOnlyIn ?? data);
  return a;
}

/** The shell script that runs `cmd` inside the sandbox (for runInGroup). */
export function sandboxedScript(bwrap: string, args: string[], env: Record<string, string>, cmd: string): string {
  const setenv = Object.entries(env).flatMap(([k, v]) => ['--setenv', k, v]);
  return `exec ${[bwrap, ...args, '--clearenv', ...setenv, '--', 'bash', '-c', cmd].map(shellQuote).join(' ')}`;
}
