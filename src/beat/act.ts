// ACT: execute the one validated decision. Files are written atomically and only inside the data dir.
import { existsSync, mkdirSync, realpathSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../atomic.ts';
import type { Config } from '../config.ts';
import type { Decision } from '../decision.ts';
import type { Emit } from '../events.ts';
import type { Fleet } from '../fleet/types.ts';
import type { Paths } from '../paths.ts';
import { OUTPUT_CAP_TEXT, fileTail, runInGroup } from './processes.ts';
import { deniedBy } from './shell-gate.ts';
import type { LastShell } from './state.ts';

export class ActionFailed extends Error {}

export interface ActOutcome {
  summary: string;
  /** Set after run_shell: its result goes into the next prompt. */
  shell?: LastShell;
  /** run_shell with no next_interval_s: the next beat comes in 5 s so the decider sees the result. */
  defaultNext?: number;
}

export interface ActDeps {
  paths: Paths;
  config: Config;
  fleet: Fleet;
  env: Record<string, string | undefined>;
  emit: Emit;
  runId: string;
}

/** Refuses a target whose folder resolves outside the data dir (a planted symlink). */
function insideDataDir(paths: Paths, target: string): void {
  const root = realpathSync(paths.root);
  mkdirSync(dirname(target), { recursive: true });
  const dir = realpathSync(dirname(target));
  if (dir !== root && !dir.startsWith(root + '/')) throw new ActionFailed(`refused: ${target} resolves outside the data dir`);
}

function writeInside(paths: Paths, target: string, body: string, mode?: number): void {
  insideDataDir(paths, target);
  writeFileAtomic(target, body.endsWith('\n') ? body : body + '\n', mode);
}

const SHELL_TIMEOUT_MS = 300_000;

/** A command as failure reasons quote it: one line, at most 200 chars. */
const oneLine = (cmd: string) => cmd.replace(/\s+/g, ' ').trim().slice(0, 200);

async function runShell(d: Extract<Decision, { action: 'run_shell' }>, deps: ActDeps): Promise<ActOutcome> {
  const rule = deniedBy(d.cmd, deps.paths.root, deps.config.runShellDeny);
  if (rule) throw new ActionFailed(`run_shell refused by deny rule "${rule}": ${oneLine(d.cmd)}`);
  const out = deps.paths.runShellLog(deps.runId);
  mkdirSync(deps.paths.run(deps.runId), { recursive: true });
  const r = await runInGroup({ script: d.cmd, login: true, cwd: deps.paths.root, env: deps.env, outputFile: out, timeoutMs: SHELL_TIMEOUT_MS });
  const exit = r.timedOut ? 124 : r.exitCode;
  const shell: LastShell = { cmd: d.cmd, exit_code: exit, tail: fileTail(out, 4000), shown: false };
  if (r.overflowed) throw Object.assign(new ActionFailed(`run_shell printed more than ${OUTPUT_CAP_TEXT} of output: killed: ${oneLine(d.cmd)}`), { shell });
  if (r.timedOut) throw Object.assign(new ActionFailed(`run_shell timed out after 300s: ${oneLine(d.cmd)}`), { shell });
  if (exit !== 0) throw Object.assign(new ActionFailed(`run_shell exited ${exit ?? r.signal}: ${oneLine(d.cmd)}`), { shell });
  return { summary: `ran \`${oneLine(d.cmd)}\` (exit 0)`, shell, defaultNext: 5 };
}

export async function act(d: Decision, deps: ActDeps): Promise<ActOutcome> {
  const { paths, fleet } = deps;
  switch (d.action) {
    case 'noop':
      return { summary: `noop: ${d.reason || 'nothing to do'}` };
    case 'run_shell':
      return runShell(d, deps);
    case 'write_goal':
      writeInside(paths, paths.goal(d.id), d.body);
      return { summary: `wrote goal ${d.id}` };
    case 'archive_goal': {
      const from = paths.goal(d.id);
      if (!existsSync(from)) throw new ActionFailed(`archive_goal: goal "${d.id}" does not exist`);
      let to = paths.archivedGoal(d.id);
      insideDataDir(paths, to);
      if (existsSync(to)) to = to.replace(/\.md$/, `.${Date.now()}.md`);
      renameSync(from, to);
      return { summary: `archived goal ${d.id}` };
    }
    case 'write_sensor':
      writeInside(paths, paths.sensor(d.name), d.script, 0o755);
      return { summary: `wrote sensor ${d.name}` };
    case 'write_playbook':
      writeInside(paths, paths.playbook, d.body);
      return { summary: 'rewrote PLAYBOOK' };
    case 'start_worker':
      await fleet.start(d.id, d.prompt, d.runner);
      return { summary: `started worker ${d.id}` };
    case 'steer_session':
      await fleet.steer(d.id, d.input);
      return { summary: `steered ${d.id}: ${d.input.replace(/\s+/g, ' ').slice(0, 120)}` };
    case 'send_key':
      await fleet.sendKeys(d.id, d.keys);
      return { summary: `sent keys to ${d.id}: ${d.keys.join(' ')}` };
    case 'restart_session':
      await fleet.restart(d.id);
      return { summary: `restarted ${d.id}` };
    case 'kill_worker':
      await fleet.kill(d.id, d.reason);
      return { summary: `killed worker ${d.id}: ${d.reason}` };
    case 'send_notification':
      deps.emit({ event: 'notify', message: d.message });
      await fleet.notify(d.message).catch(() => undefined);
      return { summary: `notified: ${d.message}` };
  }
}
