// Everything the beat and the pulse report is one Event; humans get a line, --json gets NDJSON.
import { safeDeep } from './sanitize-text.ts';
import { paint, useColor } from './format.ts';

export type Event =
  | { event: 'tick_start'; ts: string }
  | { event: 'seeded'; files: string[] }
  | { event: 'reap'; what: 'window' | 'claim' | 'run'; id: string; reason: string }
  | { event: 'sense'; sensors: number; ran: number; failed: string[]; ms: number }
  | { event: 'sensor_failed'; sensor: string; reason: string }
  | { event: 'flapping'; sensor: string; streak: number }
  | { event: 'skip'; reason: string; hash: string }
  | { event: 'recheck'; since_s: number }
  | { event: 'wake'; reason: string }
  | { event: 'held'; reason: string }
  | { event: 'sensor_not_json'; sensor: string }
  | { event: 'goal_ignored'; file: string; problem: string }
  | { event: 'backoff'; failures: number; wait_s: number; until: string }
  | { event: 'backoff_cut'; failures: number; reason: string }
  | { event: 'rate_cap'; decisions: number; cap: number; until: string }
  | { event: 'budget'; spent_usd: number; cap_usd: number; until: string }
  | { event: 'truncated'; section: string; detail: string }
  | { event: 'decide'; run_id: string; runner: string }
  | { event: 'dry_run'; would: 'skip' | 'decide'; prompt?: string; hash: string }
  | { event: 'decided'; run_id: string; action: string; journal: string; ms: number }
  | { event: 'failed'; reason: string; run_id?: string; run_dir?: string }
  | { event: 'notify'; message: string }
  | { event: 'flag'; id: string; note: string }
  | { event: 'unflag'; id: string }
  | { event: 'worker_exit'; id: string; exit_code: number | null }
  | { event: 'worker_state'; id: string; from: string | null; to: string; source: string; wake: boolean }
  | { event: 'worker_verify'; id: string; status: string; exit_code: number | null }
  | { event: 'sleep'; seconds: number; reason: string; next: string }
  | { event: 'warn'; message: string }
  | { event: 'pulse'; state: 'up' | 'down' | 'attached'; detail?: string }
  | { event: 'hold'; reason: string }
  | { event: 'resumed'; reason: string }
  | { event: 'forced' }
  | { event: 'progress'; run_id: string; line: string }
  | { event: 'heartbeat'; run_id: string; elapsed_s: number }
  | { event: 'inbox'; n: number; kind: string; title: string; message: string; worker?: string };

export type EventName = Event['event'];
export type Emit = (e: Event) => void;

/** Untrusted text (LLM output, worker notes, runner output) reaches the terminal as one plain line (the one place to swap in a shared sanitizer). */
// eslint-disable-next-line no-control-regex
export const safeLine = (s: string) => s.replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g, '').replace(/[\x00-\x1f\x7f\x80-\x9f]+/g, ' ').trim();

const pad = (n: number) => String(n).padStart(2, '0');
function clock(d = new Date()): string {
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export { useColor };

/** One readable line per event, or null for events humans do not need to see. */
export function formatEvent(raw: Event, color = false): string | null {
  // Events carry LLM, sensor and worker text: nothing in them may drive the terminal.
  const e = safeDeep(raw);
  const c = (code: string, t: string) => paint(color, code, t);
  const head = c('2', clock());
  switch (e.event) {
    case 'tick_start': return `${head} ${c('1', 'beat')}`;
    case 'seeded': return `${head} seeded ${e.files.join(', ')}`;
    case 'reap': return `${head} reaped ${e.what} ${e.id} (${e.reason})`;
    case 'sense': return `${head} sensed ${e.sensors} (${e.ran} ran${e.failed.length ? `, failed: ${e.failed.join(', ')}` : ''}) in ${e.ms} ms`;
    case 'sensor_failed': return `${head} ${c('33', 'sensor')} ${e.sensor}: ${e.reason}`;
    case 'flapping': return `${head} ${c('33', 'flapping')} sensor ${e.sensor} changed ${e.streak} beats running`;
    case 'skip': return `${head} skip: ${e.reason}`;
    case 'recheck': return `${head} recheck: quiet world, last noop ${Math.round(e.since_s / 60)} min ago`;
    case 'wake': return `${head} wake: ${e.reason}`;
    case 'held': return `${head} ${c('33', 'held')}: ${e.reason}`;
    case 'sensor_not_json': return `${head} ${c('33', 'sensor')} ${e.sensor}: prints non-JSON output (its whole output counts as the signal)`;
    case 'goal_ignored': return `${head} ${c('33', 'goal ignored')}: goals/${e.file} ${e.problem}`;
    case 'backoff': return `${head} ${c('33', 'backoff')}: ${e.failures} failed beat(s), waiting ${e.wait_s}s (until ${e.until})`;
    case 'backoff_cut': return `${head} backoff cut short: ${e.reason}`;
    case 'rate_cap': return `${head} ${c('33', 'rate cap')}: ${e.decisions}/${e.cap} decisions this hour, next at ${e.until}`;
    case 'budget': return `${head} ${c('33', 'budget')}: $${e.spent_usd.toFixed(2)} of $${e.cap_usd.toFixed(2)} spent today; paused until ${e.until}`;
    case 'truncated': return `${head} ${c('33', 'cut')} ${e.section}: ${e.detail}`;
    case 'decide': return `${head} deciding with ${e.runner} (run ${e.run_id})`;
    case 'dry_run': return e.would === 'skip' ? `${head} dry run: would skip (world unchanged)` : `${head} dry run: would decide with this prompt:\n${e.prompt ?? ''}`;
    case 'decided': return `${head} ${c('32', e.action)}: ${e.journal}`;
    case 'failed': return `${head} ${c('31', 'failed')}: ${e.reason}${e.run_dir ? ` (run ${e.run_dir})` : ''}`;
    case 'notify': return `${head} ${c('1;35', '>>> ' + e.message)}`;
    case 'flag': return `${head} ${c('1;33', `⚑ ${e.id}`)}${e.note ? `: ${e.note}` : ''}`;
    case 'unflag': return `${head} flag cleared on ${e.id}`;
    case 'worker_exit': return `${head} worker ${e.id} exited (${e.exit_code ?? '?'})`;
    case 'worker_verify': return `${head} ${e.id} ${e.status === 'verified' ? 'verified' : e.status === 'failed' ? `verify failed (${e.exit_code ?? 'no exit'}) · waking the decider` : 'verifying'}`;
    case 'worker_state': return `${head} ${e.id} ${e.from ?? 'new'} → ${e.to} (${e.source})${e.wake ? ' · waking the decider' : ''}`;
    case 'sleep': return `${head} ${c('2', `next beat in ${e.seconds}s (${e.reason})`)}`;
    case 'warn': return `${head} ${c('33', 'warning')}: ${e.message}`;
    case 'pulse': return `${head} pulse ${e.state}${e.detail ? `: ${e.detail}` : ''}`;
    case 'hold': return `${head} ${c('1;31', 'held')}: ${safeLine(e.reason)}`;
    case 'resumed': return `${head} ${c('32', 'resumed')}: fixed: ${safeLine(e.reason)}`;
    case 'forced': return `${head} forced: ignoring the backoff and the world hash for this beat`;
    case 'progress': return `${head}   ${c('2', safeLine(e.line))}`;
    case 'heartbeat': return `${head}   ${c('2', `… still deciding (${e.elapsed_s} s)`)}`;
    case 'inbox': {
      const body = e.message && e.message !== e.title && e.kind !== 'notify' ? ` — ${safeLine(e.message)}` : '';
      return `${head} ${c('1;35', `✉ #${e.n} ${safeLine(e.title)}`)}${body}`;
    }
  }
}

export function jsonLine(e: Event): string {
  return JSON.stringify({ ts: new Date().toISOString(), ...e });
}

/** An emitter that prints to a stream as NDJSON or human lines. */
export function printer(json: boolean, out: NodeJS.WriteStream = process.stdout): Emit {
  const color = !json && useColor(out);
  return (e) => {
    const line = json ? jsonLine(e) : formatEvent(e, color);
    if (line !== null) out.write(line + '\n');
  };
}
