// A chaos profile: a short temp root holding the "box" (the data dir's parent tree, checksummed to
// prove nothing is written outside the data dir), the decider's own folder (outside the box), and
// every process the harness started, so teardown kills by pid and by socket, never by name.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { layout, type Paths } from '../../../src/paths.ts';
import { makeDecider, type Decider } from './decider.ts';
import { newKnown, remember, type Known } from './known.ts';
import { alive, kill9, sleep } from './procs.ts';

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  pid: number;
}

export interface Started {
  child: ChildProcess;
  pid: number;
  out(): string;
  err(): string;
  done: Promise<Run>;
}

export interface ChaosProfile {
  name: string;
  root: string;
  box: string;
  data: string;
  config: string;
  home: string;
  bait: string;
  paths: Paths;
  socket: string;
  decider: Decider;
  /** Every goal/sensor/PLAYBOOK body handed out, for the no-half-written-file check. */
  known: Known;
  env: NodeJS.ProcessEnv;
  /** `group`: the process leads its own group, so it can be killed with everything it runs (systemd, timeout(1), Ctrl-C). */
  start(args: string[], opts?: { env?: NodeJS.ProcessEnv; input?: string; group?: boolean }): Started;
  looop(args: string[], opts?: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number }): Promise<Run>;
  writeConfig(cfg: Record<string, unknown>): void;
  write(rel: string, text: string | Buffer, mode?: number): string;
  /** Writes sensors/<name>.sh (0755) and remembers it as legitimate. */
  sensor(name: string, script: string): void;
  tmux(args: string[]): { code: number; out: string };
  /** Pids of looop processes this profile started that are still running. */
  running(): number[];
  cleanup(keep: boolean): Promise<void>;
}

export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'TMUX' || k === 'TMUX_PANE' || k.startsWith('LOOOP_') || k.startsWith('NODE_TEST') || k.startsWith('CHAOS_')) continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

export function makeChaosProfile(runRoot: string, name: string, bin: string): ChaosProfile {
  const root = join(runRoot, name);
  const box = join(root, 'b');
  const data = join(box, 'd');
  const home = join(box, 'h');
  const bait = join(box, 'bait');
  const config = join(box, 'c', 'looop.json');
  const rdir = join(root, 'r');
  for (const d of [home, bait, dirname(config), rdir]) mkdirSync(d, { recursive: true });
  const paths = layout(data);
  const decider = makeDecider(rdir);
  const env = cleanEnv({
    HOME: home,
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_CONFIG_HOME: join(home, '.config'),
    LOOOP_DATA_DIR: data,
    LOOOP_CONFIG: config,
    CHAOS_DIR: rdir,
    LOOOP_PASS_ENV: 'CHAOS_DIR',
  });
  const kids = new Set<ChildProcess>();
  const p: ChaosProfile = {
    name,
    root,
    box,
    data,
    config,
    home,
    bait,
    paths,
    socket: paths.socket,
    decider,
    known: newKnown(),
    env,
    start(args, opts = {}) {
      const t0 = Date.now();
      const child = spawn(process.execPath, [bin, ...args], { env: { ...env, ...opts.env }, cwd: root, stdio: ['pipe', 'pipe', 'pipe'], detached: Boolean(opts.group) });
      kids.add(child);
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d) => (stdout += d));
      child.stderr!.on('data', (d) => (stderr += d));
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(opts.input ?? '');
      const done = new Promise<Run>((res) =>
        child.on('close', (code, signal) => {
          kids.delete(child);
          res({ code, signal, stdout, stderr, ms: Date.now() - t0, pid: child.pid ?? 0 });
        }),
      );
      return { child, pid: child.pid ?? 0, out: () => stdout, err: () => stderr, done };
    },
    async looop(args, opts = {}) {
      const s = p.start(args, opts);
      const timer = setTimeout(() => kill9(s.pid), opts.timeoutMs ?? 120_000);
      const r = await s.done;
      clearTimeout(timer);
      return r;
    },
    writeConfig(cfg) {
      writeFileSync(config, JSON.stringify(cfg, null, 2) + '\n');
    },
    write(rel, text, mode) {
      const path = join(data, rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      if (mode !== undefined) chmodSync(path, mode);
      return path;
    },
    sensor(name, script) {
      remember(p.known, 'sensors', name, script);
      p.write(`sensors/${name}.sh`, script, 0o755);
    },
    tmux(args) {
      const r = spawnSync('tmux', ['-u', '-S', paths.socket, ...args], { encoding: 'utf8', env: cleanEnv() });
      return { code: r.status ?? 1, out: r.stdout ?? '' };
    },
    running: () => [...kids].map((k) => k.pid ?? 0).filter((pid) => pid && alive(pid)),
    async cleanup(keep) {
      for (const k of kids) kill9(k.pid);
      if (existsSync(paths.socket)) p.tmux(['kill-server']);
      await sleep(100);
      if (!keep) rmSync(root, { recursive: true, force: true });
    },
  };
  return p;
}

/** Reads a file or '' (for logs that may not exist yet). */
export function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
