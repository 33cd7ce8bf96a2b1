// What a worker is doing, derived from the best source there is: tmux (exit, kill), the worker's own
// ⚑, the agent CLI's events (claude hooks, the pi extension), then its screen (dialogs, quiet at a
// prompt). Pure: the pulse, `ls`, the beat and `explain` all call this with what they read.
import { detectBlocker } from './blockers.ts';
import type { AgentCli, WorkerRecord } from './record.ts';
import type { StateSource, WorkerState } from './types.ts';

/** One line of sessions/<id>/events.jsonl, normalized (claude hook payloads and pi extension lines). */
export interface WorkerEvent {
  /** Unix seconds. */
  ts: number;
  src: 'claude' | 'pi';
  ev: string;
  tool?: string;
  /** The command (Bash) or path (edits) of a tool call. */
  command?: string;
  /** claude Notification: permission_prompt | idle_prompt | ... */
  kind?: string;
  message?: string;
  /** The last assistant message (claude Stop, pi agent_end). */
  said?: string;
  /** Running session cost in USD (pi message_end: this message's cost). */
  cost?: number;
}

export interface StateRow {
  id: string;
  state: 'running' | 'exited' | 'killed';
  flag: string | null;
  flagBy: string;
  flagTs?: string;
  idle_s: number;
  age_s: number;
  startedAt: number;
  runner: string;
}

export interface ScreenView {
  /** The visible screen as plain text. */
  text: string;
}

export interface StateClock {
  /** Unix seconds. */
  now: number;
  /** No event and no output this long while working: stuck. */
  stuckS: number;
  /** Output quiet this long at a prompt: waiting (screen rules). */
  quietS: number;
}

export interface Perceived {
  state: WorkerState;
  source: StateSource;
  /** Unix seconds the state is known since. */
  since: number;
  /** One line: why this state (for `explain`). */
  why: string;
  /** asking: what it asks (the flag note). */
  ask?: string;
  /** The last lines it said, bounded. */
  said?: string;
}

/** Without a first event by then, a hooked CLI is read from its screen instead (hooks broken or absent). */
export const STARTING_GRACE_S = 30;
const SAID_MAX = 400;

// Prompt lines of agent CLIs and shells; the screen rules look at the bottom few lines only.
const PROMPTS: Record<AgentCli, RegExp> = {
  claude: /^\s*[>❯]\s*$|^\s*[>❯]\s/m,
  pi: /^\s*[>❯›]\s*|─{8,}/m,
  other: /[$#%>❯›]\s*$/m,
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const bounded = (s: string | undefined, max = SAID_MAX) => (s === undefined ? undefined : s.length > max ? `…${s.slice(-max)}` : s);

/** A claude hook line (`{ts,src:"claude",ev,e:<hook input>}`) or a pi extension line, as a WorkerEvent. */
export function normalizeEvent(v: Record<string, unknown>): WorkerEvent | null {
  const ts = typeof v.ts === 'number' ? v.ts : Number(v.ts);
  const ev = str(v.ev);
  if (!ev || !Number.isFinite(ts)) return null;
  const src = v.src === 'pi' ? 'pi' : 'claude';
  const e = v.e && typeof v.e === 'object' ? (v.e as Record<string, unknown>) : {};
  const input = e.tool_input && typeof e.tool_input === 'object' ? (e.tool_input as Record<string, unknown>) : {};
  const out: WorkerEvent = { ts: ts > 1e11 ? Math.floor(ts / 1000) : ts, src, ev };
  const tool = str(v.tool) ?? str(e.tool_name);
  const command = str(v.command) ?? str(input.command) ?? str(input.file_path) ?? str(input.path);
  const kind = str(e.notification_type);
  const message = str(v.message) ?? str(e.message);
  const said = str(v.said) ?? str(e.last_assistant_message);
  if (tool) out.tool = tool;
  if (command) out.command = bounded(command, 300);
  if (kind) out.kind = kind;
  if (message) out.message = bounded(message, 300);
  if (said) out.said = bounded(said);
  if (typeof v.cost === 'number' && Number.isFinite(v.cost)) out.cost = v.cost;
  return out;
}

/** Parses event lines; a line cut short (a huge hook payload) still yields its name and time. */
export function parseEvents(text: string): WorkerEvent[] {
  const out: WorkerEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let e: WorkerEvent | null = null;
    try {
      const v = JSON.parse(line) as unknown;
      if (v && typeof v === 'object') e = normalizeEvent(v as Record<string, unknown>);
    } catch {
      const ts = /"ts":(\d+)/.exec(line)?.[1];
      const ev = /"ev":"(\w+)"/.exec(line)?.[1];
      if (ts && ev) e = normalizeEvent({ ts: Number(ts), ev, src: /"src":"pi"/.test(line) ? 'pi' : 'claude' });
    }
    if (e) out.push(e);
  }
  return out;
}

/** The state one event puts the worker in; null for events that change nothing (costs, other notifications). */
export function stateOfEvent(e: WorkerEvent): 'starting' | 'working' | 'waiting' | 'asking' | 'exited' | null {
  switch (e.ev) {
    case 'SessionStart':
    case 'session_start':
    case 'Stop':
    case 'StopFailure':
    case 'agent_end':
      return 'waiting';
    case 'UserPromptSubmit':
    case 'PreToolUse':
    case 'PostToolUse':
    case 'PostToolUseFailure':
    case 'SubagentStop':
    case 'agent_start':
    case 'turn_start':
    case 'tool_call':
    case 'tool_execution_start':
    case 'tool_execution_end':
      return 'working';
    case 'Notification':
      return e.kind === 'permission_prompt' || /permission/i.test(e.message ?? '') ? 'asking' : e.kind === 'idle_prompt' ? 'waiting' : null;
    case 'SessionEnd':
    case 'session_shutdown':
      return 'exited';
    default:
      return null;
  }
}

/** The note of an `asking` worker: the exact command it wants to run when the CLI told us. */
export function askNote(cli: AgentCli, events: WorkerEvent[], fallback: string | null): string {
  const pre = [...events].reverse().find((e) => e.ev === 'PreToolUse' || e.ev === 'tool_call');
  if (pre?.command) return `${cli} asks to run ${pre.tool ?? 'a tool'}: ${pre.command} — attach and answer`;
  const note = [...events].reverse().find((e) => e.ev === 'Notification')?.message;
  return fallback ?? (note ? `${cli}: ${note} — attach and answer` : `${cli} is asking something — attach and answer`);
}

function screenTail(text: string, lines = 6): string | undefined {
  const rows = text.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim());
  return rows.length ? bounded(rows.slice(-lines).join('\n')) : undefined;
}

function atPrompt(cli: AgentCli, text: string): boolean {
  const rows = text.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim());
  return PROMPTS[cli].test(rows.slice(cli === 'other' ? -1 : -6).join('\n'));
}

/**
 * The worker's state. `row` null means tmux has no window for it (then the record decides: lost or
 * gone); `events` are this worker's events (any run: only those since the window started count);
 * `screen` null when it was not read.
 */
export function deriveState(row: StateRow | null, events: WorkerEvent[], screen: ScreenView | null, record: WorkerRecord | null, clock: StateClock): Perceived {
  if (!row) {
    const since = events.at(-1)?.ts ?? record?.started_at ?? clock.now;
    return record?.live
      ? { state: 'lost', source: 'record', since, why: 'looop started it and never saw it end, but tmux has no window for it (server stopped or machine restarted)' }
      : { state: 'exited', source: 'record', since, why: 'no window; the record says it ended' };
  }
  const started = row.startedAt;
  if (row.state === 'killed') return { state: 'killed', source: 'tmux', since: started, why: 'looop killed it' };
  if (row.state === 'exited') return { state: 'exited', source: 'tmux', since: started, why: 'its command ended' };
  const flagSince = Number(row.flagTs) > 0 ? Math.floor(Number(row.flagTs) / 1000) : clock.now;
  if (row.flag !== null && row.flagBy !== 'blocker') return { state: 'flagged', source: 'flag', since: flagSince, why: 'it ran `looop flag`', ask: row.flag };

  const cli: AgentCli = record?.cli ?? 'other';
  const mine = events.filter((e) => e.ts >= started - 1);
  const said = [...mine].reverse().find((e) => e.said)?.said ?? (screen ? screenTail(screen.text) : undefined);
  const blocker = screen ? detectBlocker(screen.text, row.runner) : row.flagBy === 'blocker' ? row.flag : null;
  const lastOutput = clock.now - row.idle_s;
  const stuck = (sinceS: number) => clock.now - Math.max(sinceS, lastOutput) >= clock.stuckS;

  if (cli !== 'other') {
    const source: StateSource = cli === 'claude' ? 'hooks' : 'extension';
    let last: { e: WorkerEvent; st: NonNullable<ReturnType<typeof stateOfEvent>> } | null = null;
    for (const e of mine) {
      const st = stateOfEvent(e);
      if (st) last = { e, st };
    }
    if (last) {
      const { e, st } = last;
      // A dialog the hooks missed (the first-run and trust screens come before any hook).
      // A dialog the hooks missed or have not told yet (first-run and trust screens come before any
      // hook; claude's permission Notification comes seconds after its prompt): the note still names the
      // pending tool call when there is one.
      if (blocker && st !== 'asking') {
        const pending = e.ev === 'PreToolUse' || e.ev === 'tool_call';
        return { state: 'asking', source: 'screen', since: clock.now - row.idle_s, why: 'a dialog is on its screen', ask: pending ? askNote(cli, mine, blocker) : blocker, said };
      }
      if (st === 'asking') {
        // Answered (or denied: claude sends no hook then) once the prompt has left the screen.
        if (!screen || blocker) return { state: 'asking', source, since: e.ts, why: `${e.ev} ${e.kind ?? ''}`.trim(), ask: askNote(cli, mine, blocker), said };
      } else if (st === 'working') {
        if (stuck(e.ts)) return { state: 'stuck', source, since: Math.max(e.ts, lastOutput), why: `working, but no event and no output for ${clock.stuckS}s`, said };
        return { state: 'working', source, since: e.ts, why: `last event ${e.ev}${e.tool ? ` (${e.tool})` : ''}`, said };
      } else if (e.ev === 'SessionStart' || e.ev === 'session_start') {
        // Started: a prompt given on the command line is submitted a moment later; quiet means idle.
        if (row.idle_s >= clock.quietS) return { state: 'waiting', source, since: e.ts, why: `${e.ev}, then quiet for ${row.idle_s}s`, said };
        return { state: 'starting', source, since: e.ts, why: `${e.ev}; no prompt submitted yet`, said };
      } else if (st === 'exited') {
        return { state: 'exited', source, since: e.ts, why: `last event ${e.ev}`, said };
      } else {
        return { state: st, source, since: e.ts, why: `last event ${e.ev}`, said };
      }
    } else if (!blocker && row.age_s < STARTING_GRACE_S) {
      return { state: 'starting', source, since: started, why: 'no event from the CLI yet', said };
    }
  }
  if (blocker) return { state: 'asking', source: 'screen', since: row.flagBy === 'blocker' ? flagSince : clock.now - row.idle_s, why: 'a dialog is on its screen', ask: blocker, said };
  // The screen rules: any CLI, and claude/pi whose events stopped or never came.
  if (row.idle_s < clock.quietS) {
    if (row.age_s < clock.quietS) return { state: 'starting', source: 'screen', since: started, why: 'just started', said };
    return { state: 'working', source: 'screen', since: lastOutput, why: `output ${row.idle_s}s ago`, said };
  }
  if (!screen) return { state: row.idle_s >= clock.stuckS ? 'stuck' : 'working', source: 'screen', since: lastOutput, why: 'screen not read', said };
  if (atPrompt(cli, screen.text)) return { state: 'waiting', source: 'screen', since: lastOutput, why: `quiet for ${row.idle_s}s at a prompt`, said };
  if (row.idle_s >= clock.stuckS) return { state: 'stuck', source: 'screen', since: lastOutput, why: `no output for ${row.idle_s}s and no prompt`, said };
  return { state: 'working', source: 'screen', since: lastOutput, why: `quiet for ${row.idle_s}s, no prompt on screen`, said };
}
