// `looop _fmt`: a runner's NDJSON on stdin -> readable progress on stdout, spend -> cost.jsonl,
// API errors -> a failed exit (pi exits 0 even when its API call failed).
import { claudeEvent, CLAUDE_TYPES, type Out } from './claude-events.ts';
import { writeFileAtomic } from '../atomic.ts';
import { appendCost, COST_KINDS, roundUsd } from './ledger.ts';
import { piEvent, PI_TYPES } from './pi-events.ts';
import { newRunState, runCost, runFailure, type RunState } from './run-state.ts';
import { clip, stripAnsi } from './sanitize.ts';

const PASS_MAX = 2000;

/** Handles one input line; anything that is not a known event is passed through, cleaned. */
export function feedLine(raw: string, st: RunState, out: Out): void {
  const line = raw.trim();
  if (!line) return;
  let ev: Record<string, unknown> | null = null;
  if (line.startsWith('{')) {
    try {
      const v = JSON.parse(line) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) ev = v as Record<string, unknown>;
    } catch {
      ev = null;
    }
  }
  const type = typeof ev?.type === 'string' ? ev.type : '';
  try {
    if (ev && CLAUDE_TYPES.has(type)) {
      st.events++;
      st.runner ??= 'claude';
      return claudeEvent(ev, st, out);
    }
    if (ev && PI_TYPES.has(type)) {
      st.events++;
      st.runner ??= 'pi';
      return piEvent(ev, st, out);
    }
  } catch (err) {
    // An event shaped unlike anything documented must not take the beat down with it.
    out.warn(`could not read a ${type} event: ${(err as Error).message}`);
    return;
  }
  const text = stripAnsi(raw).trimEnd();
  if (text.trim()) out.line(clip(text, PASS_MAX));
}

export interface FmtIO {
  input: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  ledger: string;
}

/** Appends the run's spend when LOOOP_COST_KIND/ID/RUNNER say whose run this is. */
function record(io: FmtIO, st: RunState, out: Out): void {
  const { LOOOP_COST_KIND: kind, LOOOP_COST_ID: id, LOOOP_COST_RUNNER: runner } = io.env;
  const usd = runCost(st);
  if (!kind || !id || !runner || usd === null) return;
  if (!(COST_KINDS as readonly string[]).includes(kind)) return out.warn(`LOOOP_COST_KIND=${kind} is not one of ${COST_KINDS.join(', ')}; spend not recorded`);
  try {
    appendCost(io.ledger, { kind, id, runner, cost_usd: usd });
  } catch (err) {
    out.warn(`cannot record spend in ${io.ledger}: ${(err as Error).message}`);
  }
}

export async function runFmt(io: FmtIO): Promise<number> {
  const st = newRunState();
  const out: Out = {
    line: (s) => void io.stdout.write(s + '\n'),
    warn: (s) => void io.stderr.write(`looop: warning: ${s}\n`),
  };
  let recorded = false;
  const finish = () => {
    if (recorded) return;
    recorded = true;
    record(io, st, out);
  };
  // Killed at tick_timeout: the spend so far still happened.
  const onSignal = (sig: NodeJS.Signals) => {
    finish();
    process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGHUP' ? 1 : 15));
  };
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  try {
    // Split on \n only (readline would also split progress bars' \r redraws into lines); a huge line
    // (a tool result of many MB) is gathered in pieces, so reading it stays linear.
    let pending: string[] = [];
    io.input.setEncoding?.('utf8');
    for await (const chunk of io.input) {
      const text = String(chunk);
      const lines = text.split('\n');
      if (lines.length === 1) {
        pending.push(text);
        continue;
      }
      lines[0] = pending.join('') + lines[0];
      pending = [lines.pop()!];
      for (const raw of lines) feedLine(raw, st, out);
    }
    const last = pending.join('');
    if (last) feedLine(last, st, out);
  } finally {
    for (const s of signals) process.off(s, onSignal);
  }
  finish();
  // The decider's reply goes where the beat reads it (LOOOP_REPLY_FILE, set for tick runs only).
  if (io.env.LOOOP_REPLY_FILE && st.finalText !== null) {
    try {
      writeFileAtomic(io.env.LOOOP_REPLY_FILE, st.finalText);
    } catch (err) {
      out.warn(`cannot save the final message: ${(err as Error).message}`);
    }
  }
  const failure = runFailure(st);
  if (failure) {
    io.stderr.write(`looop: runner failed: ${failure}\n`);
    return 1;
  }
  if (st.runner === 'pi') {
    const usd = runCost(st);
    out.line(`✓ pi done · ${st.piTurns} message${st.piTurns === 1 ? '' : 's'}${usd !== null ? ` · $${roundUsd(usd).toFixed(4)}` : ''}`);
  }
  return 0;
}
