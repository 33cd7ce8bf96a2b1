// pi -p --mode json: session / agent / turn / message / tool_execution events, one JSON object each.
import type { Out } from './claude-events.ts';
import type { RunState } from './run-state.ts';
import { keyArgument, oneLine, resultText, textLines } from './sanitize.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export const PI_TYPES = new Set([
  'session', 'agent_start', 'agent_end', 'turn_start', 'turn_end', 'message_start', 'message_update', 'message_end',
  'tool_execution_start', 'tool_execution_update', 'tool_execution_end',
  'auto_compaction_start', 'auto_compaction_end', 'auto_retry_start', 'auto_retry_end',
]);

// Only message_end is counted: turn_end and agent_end repeat the same messages.
function assistantMessage(msg: Obj, st: RunState, out: Out): void {
  st.piTurns++;
  const content = Array.isArray(msg.content) ? (msg.content.map(obj).filter(Boolean) as Obj[]) : [];
  for (const b of content) {
    if (b.type === 'text') for (const l of textLines(str(b.text))) out.line(l);
    else if (b.type === 'toolCall') out.line(`→ ${oneLine(str(b.name), 60)} ${keyArgument(b.arguments)}`.trimEnd());
  }
  const said = content.filter((b) => b.type === 'text').map((b) => str(b.text)).join('\n').trim();
  st.finalText = said || null;
  const cost = num(obj(obj(msg.usage)?.cost)?.total);
  if (cost !== null) {
    st.piCost += cost;
    st.piCostSeen = true;
  }
  st.piLast = { stopReason: str(msg.stopReason), errorMessage: oneLine(str(msg.errorMessage), 500) };
  if (st.piLast.stopReason === 'error' || st.piLast.stopReason === 'aborted') {
    out.line(`✗ pi ${st.piLast.stopReason === 'error' ? 'API error' : 'aborted'}${st.piLast.errorMessage ? `: ${st.piLast.errorMessage}` : ''}`);
  }
}

export function piEvent(ev: Obj, st: RunState, out: Out): void {
  switch (ev.type) {
    case 'message_end': {
      const msg = obj(ev.message);
      if (msg?.role === 'assistant') assistantMessage(msg, st, out);
      return;
    }
    case 'tool_execution_end':
      if (ev.isError === true) out.line(`✗ ${oneLine(str(ev.toolName), 60) || 'tool'} failed: ${oneLine(resultText(ev.result), 300)}`);
      return;
    case 'auto_retry_start': {
      const delay = num(ev.delayMs);
      out.line(`… retrying (attempt ${num(ev.attempt) ?? '?'}/${num(ev.maxAttempts) ?? '?'}${delay !== null ? ` in ${(delay / 1000).toFixed(1)} s` : ''}): ${oneLine(str(ev.errorMessage), 300)}`);
      return;
    }
    case 'auto_retry_end':
      if (ev.success === false) out.line(`✗ retries exhausted: ${oneLine(str(ev.finalError), 300)}`);
      return;
    case 'auto_compaction_start':
      out.line(`· compacting context${str(ev.reason) ? ` (${str(ev.reason)})` : ''}`);
      return;
    default:
      return;
  }
}
