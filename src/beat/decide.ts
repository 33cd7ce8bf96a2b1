// DECIDE: hand the prompt to the runner's tick command and collect the one decision it wrote.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../atomic.ts';
import type { Config } from '../config.ts';
import { INSTALL_HINTS } from '../runners.ts';
import { missingCommand, onPath } from '../proc/on-path.ts';
import type { Paths } from '../paths.ts';
import { restoreControl } from './control-files.ts';
import { safeLine } from '../events.ts';
import { OUTPUT_CAP_TEXT, fileTail, lastLine, runInGroup } from './processes.ts';

export type DecideResult = { ok: true; raw: string; ms: number } | { ok: false; reason: string; ms: number };

/** A runner whose command is not installed gives one line naming it and how to install it. */
export function missingRunner(name: string, template: string, env: Record<string, string | undefined>, cwd = process.cwd()): string | null {
  const cmd = missingCommand(template, cwd, env.PATH);
  if (!cmd) return null;
  const hint = INSTALL_HINTS[name] ?? INSTALL_HINTS[cmd];
  const others = Object.keys(INSTALL_HINTS).filter((n) => n !== name);
  const installed = others.find((n) => onPath(n, env.PATH, cwd));
  const alt = installed
    ? `; or use the installed ${installed}: set "default": "${installed}" in looop.json`
    : others.map((n) => `; or ${n}: ${INSTALL_HINTS[n]}`).join('');
  return `runner "${name}": command "${cmd}" not found on PATH${hint ? ` (install it: ${hint}${alt})` : alt ? ` (${alt.slice(2)})` : ''}`;
}

export function newRunId(now: Date): string {
  const iso = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${iso}-${Math.random().toString(16).slice(2, 6)}`;
}

/** Seconds of runner silence after which a heartbeat line says the decider is still at work. */
export const HEARTBEAT_S = 15;

export interface Progress {
  /** One line the runner printed (tool calls via _fmt: `→ Read PLAYBOOK.md`). */
  line(text: string): void;
  heartbeat(elapsedS: number): void;
}

const plain = safeLine;

/** Follows the run's output file while the runner works: each new line, and a heartbeat after each 15 s of silence. */
export function followOutput(file: string, progress: Progress, heartbeatS = HEARTBEAT_S): () => void {
  let offset = 0;
  let partial = '';
  const started = Date.now();
  let quietSince = started;
  const look = () => {
    try {
      const size = statSync(file).size;
      if (size > offset) {
        // at most 64 KiB per look: a flood must not stall the beat
        const buf = Buffer.alloc(Math.min(size - offset, 64 * 1024));
        const fd = openSync(file, 'r');
        try {
          readSync(fd, buf, 0, buf.length, offset);
        } finally {
          closeSync(fd);
        }
        offset += buf.length;
        const lines = (partial + buf.toString('utf8')).split('\n');
        partial = lines.pop()!.slice(-4096);
        for (const l of lines) {
          const t = plain(l);
          if (t) progress.line(t.length > 200 ? t.slice(0, 199) + '…' : t);
        }
        quietSince = Date.now();
      }
    } catch {
      // no output yet
    }
    if (Date.now() - quietSince >= heartbeatS * 1000) {
      quietSince = Date.now();
      progress.heartbeat(Math.round((Date.now() - started) / 1000));
    }
  };
  const timer = setInterval(look, 250);
  return () => {
    clearInterval(timer);
    look();
    const t = plain(partial);
    if (t) progress.line(t.slice(0, 200));
  };
}

export async function decide(opts: {
  paths: Paths;
  config: Config;
  runId: string;
  prompt: string;
  env: Record<string, string | undefined>;
  warn?: (message: string) => void;
  progress?: Progress;
}): Promise<DecideResult> {
  const { paths, config, runId } = opts;
  const started = Date.now();
  // A decision left by an earlier run must never be executed; a non-file there is moved aside.
  const stray = restoreControl(paths.decision, 'file');
  if (stray) opts.warn?.(stray);
  rmSync(paths.decision, { force: true });
  mkdirSync(paths.run(runId), { recursive: true });
  writeFileAtomic(paths.runPrompt(runId), opts.prompt);
  const name = config.default;
  const spec = config.runners[name];
  if (!spec) return { ok: false, reason: `runner "${name}" is not defined in config runners (known: ${Object.keys(config.runners).join(', ')})`, ms: 0 };
  const missing = missingRunner(name, spec.tick, opts.env, opts.paths.root);
  if (missing) return { ok: false, reason: missing, ms: 0 };
  const env = { ...opts.env, LOOOP_COST_KIND: 'tick', LOOOP_COST_ID: runId, LOOOP_COST_RUNNER: name, LOOOP_REPLY_FILE: paths.runReply(runId) };
  const stopFollowing = opts.progress ? followOutput(paths.runOutput(runId), opts.progress) : () => undefined;
  let run;
  try {
    run = await runInGroup({
      script: `set -o pipefail\n${spec.tick}`,
      cwd: paths.root,
      env,
      input: opts.prompt,
      outputFile: paths.runOutput(runId),
      timeoutMs: config.tickTimeout * 1000,
    });
  } finally {
    stopFollowing();
  }
  const ms = Date.now() - started;
  const said = lastLine(fileTail(paths.runOutput(runId)));
  if (run.overflowed) {
    rmSync(paths.decision, { force: true });
    return { ok: false, reason: `runner "${name}" printed more than ${OUTPUT_CAP_TEXT} of output: killed with its process group`, ms };
  }
  if (run.timedOut) {
    rmSync(paths.decision, { force: true });
    return { ok: false, reason: `runner "${name}" still running after tick_timeout ${config.tickTimeout}s: killed with its process group`, ms };
  }
  if (run.exitCode !== 0) {
    rmSync(paths.decision, { force: true });
    const how = run.exitCode === null ? `was killed by ${run.signal}` : `exited ${run.exitCode}`;
    return { ok: false, reason: `runner "${name}" ${how}${said ? `: ${said}` : ''}`, ms };
  }
  // A .decision.json (custom runners) wins; else the runner's final message is the decision.
  if (!restoreControl(paths.decision, 'file') && existsSync(paths.decision)) {
    const raw = readFileSync(paths.decision, 'utf8');
    rmSync(paths.decision, { force: true });
    return { ok: true, raw, ms };
  }
  if (existsSync(paths.runReply(runId))) return { ok: true, raw: readFileSync(paths.runReply(runId), 'utf8'), ms };
  return { ok: false, reason: `runner "${name}" gave no final message and wrote no .decision.json${said ? ` (last output: ${said})` : ''}`, ms };
}

/** Keeps the newest `keep` run archives. */
export function pruneRuns(paths: Paths, keep: number): string[] {
  let ids: string[] = [];
  try {
    ids = readdirSync(paths.runs).sort();
  } catch {
    return [];
  }
  const drop = ids.slice(0, Math.max(0, ids.length - keep));
  for (const id of drop) rmSync(paths.run(id), { recursive: true, force: true });
  return drop;
}
