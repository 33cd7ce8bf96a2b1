// A throwaway looop profile in a temp dir: its own data dir, config, HOME and tmux socket.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { socketPathFor } from '../../src/paths.ts';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'dist', 'looop.mjs');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Profile {
  root: string;
  dataDir: string;
  configPath: string;
  home: string;
  socket: string;
  env: NodeJS.ProcessEnv;
  /** Runs the built CLI synchronously. */
  run(args: string[], opts?: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number }): RunResult;
  /** Runs the built CLI asynchronously (for concurrency tests). */
  runAsync(args: string[], opts?: { env?: NodeJS.ProcessEnv; input?: string }): Promise<RunResult>;
  writeConfig(cfg: Record<string, unknown>): void;
  writeFile(rel: string, text: string, mode?: number): string;
  tmux(args: string[]): string;
  cleanup(): void;
}

/** Env for child processes: never inherits the caller's tmux or looop settings. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'TMUX' || k === 'TMUX_PANE' || k.startsWith('LOOOP_') || k.startsWith('NODE_TEST')) continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

// First on every test's PATH: the machine's crontab and systemd are never reached (a test that needs them
// puts its own fakes before these). Reading says "none installed"; any write fails the command loudly.
const GUARDS: Record<string, string> = {
  crontab: '#!/bin/sh\nif [ "$1" = -l ]; then echo "no crontab for $USER" >&2; exit 1; fi\necho "test guard: refused to change the real crontab" >&2; exit 99\n',
  systemctl: '#!/bin/sh\necho "test guard: Failed to connect to bus (no real systemd in tests)" >&2; exit 1\n',
  loginctl: '#!/bin/sh\nexit 1\n',
};

function guardBin(root: string): string {
  const bin = join(root, 'guard-bin');
  mkdirSync(bin, { recursive: true });
  for (const [name, body] of Object.entries(GUARDS)) {
    writeFileSync(join(bin, name), body);
    chmodSync(join(bin, name), 0o755);
  }
  return bin;
}

export function makeProfile(name = 'looop-test'): Profile {
  const root = mkdtempSync(join(tmpdir(), `${name}-`));
  const dataDir = join(root, 'data');
  const home = join(root, 'home');
  mkdirSync(home, { recursive: true });
  const configPath = join(root, 'config', 'looop.json');
  const socket = socketPathFor(dataDir);
  const env = cleanEnv({
    HOME: home,
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_CONFIG_HOME: join(home, '.config'),
    LOOOP_DATA_DIR: dataDir,
    LOOOP_CONFIG: configPath,
    PATH: `${guardBin(root)}:${process.env.PATH}`,
  });
  const p: Profile = {
    root,
    dataDir,
    configPath,
    home,
    socket,
    env,
    run(args, opts = {}) {
      const r = spawnSync(process.execPath, [BIN, ...args], {
        env: { ...env, ...opts.env },
        input: opts.input ?? '',
        encoding: 'utf8',
        timeout: opts.timeoutMs ?? 60_000,
        cwd: root,
      });
      return { code: r.status ?? (r.signal ? 128 : 1), stdout: r.stdout, stderr: r.stderr };
    },
    runAsync(args, opts = {}) {
      return new Promise((res) => {
        const child = spawn(process.execPath, [BIN, ...args], { env: { ...env, ...opts.env }, cwd: root });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.stdin.end(opts.input ?? '');
        child.on('close', (code, signal) => res({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
      });
    },
    writeConfig(cfg) {
      mkdirSync(join(root, 'config'), { recursive: true });
      writeFileSync(configPath, JSON.stringify(cfg, null, 2));
    },
    writeFile(rel, text, mode) {
      const path = join(dataDir, rel);
      mkdirSync(resolve(path, '..'), { recursive: true });
      writeFileSync(path, text);
      if (mode !== undefined) chmodSync(path, mode);
      return path;
    },
    tmux(args) {
      return execFileSync('tmux', ['-u', '-S', socket, ...args], { encoding: 'utf8', env: cleanEnv() });
    },
    cleanup() {
      if (existsSync(socket)) spawnSync('tmux', ['-S', socket, 'kill-server'], { env: cleanEnv() });
      rmSync(root, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
    },
  };
  return p;
}
