// ACT: execute the one validated decision. Files are written atomically and only inside the data dir.
import { existsSync, mkdirSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../atomic.ts';
import { askLine, raiseAsk, type Ask } from '../asks.ts';
import { markPending } from '../sensor-approval.ts';
import type { Config } from '../config.ts';
import type { Decision } from '../decision.ts';
import type { Emit } from '../events.ts';
import type { Fleet } from '../fleet/types.ts';
import { controlPaths, type Paths } from '../paths.ts';
import { OUTPUT_CAP_TEXT, fileTail, runInGroup } from './processes.ts';
import { BWRAP_MISSING, bwrapArgs, findBwrap, sandboxEnv, sandboxedScript } from './sandbox.ts';
import { allowedBy, deniedBy } from './shell-gate.ts';
import { tryRecordInbox } from '../inbox/inbox.ts';
import type { LastShell } from './state.ts';
import { dropSchedule, planSchedule, writeSchedule } from '../schedules/store.ts';

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
  /** The beat's clock (LOOOP_NOW pins it). */
  now?: Date;
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
  const { paths, config } = deps;
  const allowed = allowedBy(d.cmd, config.runShellAllow);
  const sandboxed = !allowed && config.runShell !== 'unsandboxed';
  let run = { script: d.cmd, login: true, env: deps.env };
  if (sandboxed) {
    const bwrap = findBwrap(deps.env);
    if (!bwrap) throw new ActionFailed(BWRAP_MISSING);
    const env = sandboxEnv(deps.env, config.runShellEnv);
    run = { script: sandboxedScript(bwrap, bwrapArgs(paths, deps.env, config.path), env, d.cmd), login: false, env };
  }
  const out = paths.runShellLog(deps.runId);
  mkdirSync(paths.run(deps.runId), { recursive: true });
  // Control files the sandbox could only create (not change) are removed again afterwards.
  const absent = controlPaths(paths).filter((f) => !existsSync(f));
  const r = await runInGroup({ ...run, cwd: paths.root, outputFile: out, timeoutMs: SHELL_TIMEOUT_MS });
  if (sandboxed) for (const f of absent) if (existsSync(f)) rmSync(f, { recursive: true, force: true });
  const exit = r.timedOut ? 124 : r.exitCode;
  const shell: LastShell = { cmd: d.cmd, exit_code: exit, tail: fileTail(out, 4000), shown: false };
  if (r.overflowed) throw Object.assign(new ActionFailed(`run_shell printed more than ${OUTPUT_CAP_TEXT} of output: killed: ${oneLine(d.cmd)}`), { shell });
  if (r.timedOut) throw Object.assign(new ActionFailed(`run_shell timed out after 300s: ${oneLine(d.cmd)}`), { shell });
  const how = allowed ? ` unsandboxed (run_shell_allow "${allowed}")` : sandboxed ? '' : ' unsandboxed';
  // A non-zero exit (grep -q finding nothing) is an answer for the decider, not a failed beat.
  return { summary: `ran \`${oneLine(d.cmd)}\`${how} (${exit === null ? `killed by ${r.signal}` : `exit ${exit}`})`, shell, defaultNext: 5 };
}

/** Surfaces a new ask like a flag: an event and the profile's status-line message (the journal gets the summary). */
export async function askRaised(ask: Ask, deps: Pick<ActDeps, 'emit' | 'fleet' | 'paths'>): Promise<void> {
  const line = askLine(ask);
  tryRecordInbox(deps.paths, { kind: 'ask', title: `? ${ask.id}: ${ask.question.split('\n')[0]!.slice(0, 150)}`, message: line });
  deps.emit({ event: 'notify', message: line });
  await deps.fleet.notify(line).catch(() => undefined);
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
      writeInside(paths, paths.sensor(d.name), d.script, 0o700);
      // Code the decider wrote runs only after the person approves it.
      markPending(paths, d.name, d.script.endsWith('\n') ? d.script : d.script + '\n');
      return { summary: `wrote sensor ${d.name} (pending approval: looop approve sensor ${d.name})` };
    case 'write_playbook':
      writeInside(paths, paths.playbook, d.body);
      return { summary: 'rewrote PLAYBOOK' };
    case 'start_worker':
      await fleet.start(d.id, d.prompt, d.runner, { ...(d.cwd ? { cwd: d.cwd } : {}), ...(d.verify ? { verify: d.verify } : {}), ...(d.host ? { host: d.host } : {}) });
      return { summary: `started worker ${d.id}${d.host ? ` on ${d.host}` : ''}${d.verify ? ` (verify: ${oneLine(d.verify)})` : ''}` };
    case 'steer_session':
      await fleet.steer(d.id, d.input);
      return { summary: `steered ${d.id}: ${d.input.replace(/\s+/g, ' ').slice(0, 120)}` };
    case 'send_key':
      await fleet.sendKeys(d.id, d.keys);
      return { summary: `sent keys to ${d.id}: ${d.keys.join(' ')}` };
    case 'restart_session':
      await fleet.restart(d.id);
      return { summary: `restarted ${d.id}` };
    case 'resume_worker':
      await fleet.resume(d.id);
      return { summary: `resumed ${d.id}` };
    case 'kill_worker':
      await fleet.kill(d.id, d.reason);
      return { summary: `killed worker ${d.id}${d.reason ? `: ${d.reason}` : ''}` };
    case 'write_schedule': {
      const planned = planSchedule(d, deps.now ?? new Date());
      if (typeof planned === 'string') throw new ActionFailed(`write_schedule ${d.name}: ${planned}`);
      insideDataDir(paths, paths.schedule(d.name));
      writeSchedule(paths, planned);
      return { summary: `scheduled ${d.name} (next due ${planned.due_at})${d.note ? `: ${d.note}` : ''}` };
    }
    case 'drop_schedule':
      if (!dropSchedule(paths, d.name)) throw new ActionFailed(`drop_schedule: no schedule "${d.name}"`);
      return { summary: `dropped schedule ${d.name}` };
    case 'ask': {
      const ask = raiseAsk(paths, d, deps.now ?? new Date());
      await askRaised(ask, deps);
      return { summary: askLine(ask) };
    }
    case 'send_notification':
      deps.emit({ event: 'notify', message: d.message });
      tryRecordInbox(paths, { kind: 'notify', title: d.message.split('\n')[0]!.slice(0, 120), message: d.message });
      await fleet.notify(d.message).catch(() => undefined);
      return { summary: `notified: ${d.message}` };
  }
}
