// DECIDE: hand the prompt to the runner's tick command and collect the one decision it wrote.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../atomic.ts';
import type { Config } from '../config.ts';
import { INSTALL_HINTS } from '../runners.ts';
import { missingCommand } from '../proc/on-path.ts';
import type { Paths } from '../paths.ts';
import { OUTPUT_CAP_TEXT, fileTail, lastLine, runInGroup } from './processes.ts';

export type DecideResult = { ok: true; raw: string; ms: number } | { ok: false; reason: string; ms: number };

/** A runner whose command is not installed gives one line naming it and how to install it. */
export function missingRunner(name: string, template: string, env: Record<string, string | undefined>, cwd = process.cwd()): string | null {
  const cmd = missingCommand(template, cwd, env.PATH);
  if (!cmd) return null;
  const hint = INSTALL_HINTS[name] ?? INSTALL_HINTS[cmd];
  return `runner "${name}": command "${cmd}" not found on PATH${hint ? ` (install it: ${hint})` : ''}`;
}

export function newRunId(now: Date): string {
  const iso = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${iso}-${Math.random().toString(16).slice(2, 6)}`;
}

export async function decide(opts: {
  paths: Paths;
  config: Config;
  runId: string;
  prompt: string;
  env: Record<string, string | undefined>;
}): Promise<DecideResult> {
  const { paths, config, runId } = opts;
  const started = Date.now();
  // A decision left by an earlier run must never be executed.
  rmSync(paths.decision, { force: true });
  mkdirSync(paths.run(runId), { recursive: true });
  writeFileAtomic(paths.runPrompt(runId), opts.prompt);
  const name = config.default;
  const spec = config.runners[name];
  if (!spec) return { ok: false, reason: `runner "${name}" is not defined in config runners (known: ${Object.keys(config.runners).join(', ')})`, ms: 0 };
  const missing = missingRunner(name, spec.tick, opts.env, opts.paths.root);
  if (missing) return { ok: false, reason: missing, ms: 0 };
  const env = { ...opts.env, LOOOP_COST_KIND: 'tick', LOOOP_COST_ID: runId, LOOOP_COST_RUNNER: name };
  const run = await runInGroup({
    script: `set -o pipefail\n${spec.tick}`,
    cwd: paths.root,
    env,
    input: opts.prompt,
    outputFile: paths.runOutput(runId),
    timeoutMs: config.tickTimeout * 1000,
  });
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
  if (!existsSync(paths.decision)) {
    return { ok: false, reason: `runner "${name}" wrote no .decision.json${said ? ` (last output: ${said})` : ''}`, ms };
  }
  const raw = readFileSync(paths.decision, 'utf8');
  rmSync(paths.decision, { force: true });
  return { ok: true, raw, ms };
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
