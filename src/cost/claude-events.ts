// claude -p --output-format stream-json --verbose: system/assistant/user/result lines, one JSON object each.
import type { RunState } from './run-state.ts';
import { keyArgument, oneLine, resultText, textLines } from './sanitize.ts';

export interface Out {
  line(s: string): void;
  warn(s: string): void;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null);
const blocks = (msg: unknown): Obj[] => {
  const content = obj(msg)?.content;
  return Array.isArray(content) ? (content.map(obj).filter(Boolean) as Obj[]) : [];
};
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export const CLAUDE_TYPES = new Set(['system', 'assistant', 'user', 'result', 'stream_event']);

function system(ev: Obj, out: Out): void {
  const sub = str(ev.subtype);
  if (sub === 'init') {
    const tools = Array.isArray(ev.tools) ? `, ${ev.tools.length} tools` : '';
    const mode = str(ev.permissionMode) ? `, permissions: ${str(ev.permissionMode)}` : '';
    out.line(`claude · model ${str(ev.model) || '?'}${tools}${mode}`);
  } else if (sub === 'compact_boundary') out.line('· context compacted');
  else if (sub) out.line(`· ${oneLine(sub, 60)}${str(ev.message) ? `: ${oneLine(str(ev.message))}` : ''}`);
}

function result(ev: Obj, st: RunState, out: Out): void {
  const cost = num(ev.total_cost_usd);
  if (cost !== null) st.claudeCost = cost;
  const errors = Array.isArray(ev.errors) ? ev.errors.map(String).join('; ') : '';
  const isError = ev.is_error === true || (str(ev.subtype) !== '' && str(ev.subtype) !== 'success');
  const text = oneLine(isError ? str(ev.result) || errors : '', 500);
  if (!isError && typeof ev.result === 'string') st.finalText = ev.result;
  st.claudeResult = { isError, subtype: str(ev.subtype) || 'unknown', text, turns: num(ev.num_turns), ms: num(ev.duration_ms) };
  const denials = Array.isArray(ev.permission_denials) ? (ev.permission_denials.map(obj).filter(Boolean) as Obj[]) : [];
  if (denials.length) {
    const what = denials.map((d) => `${str(d.tool_name) || '?'} ${keyArgument(d.tool_input)}`.trim()).join(', ');
    out.warn(`claude denied ${denials.length} tool call(s): ${oneLine(what, 300)}`);
  }
  const bits = [st.claudeResult.turns !== null ? `${st.claudeResult.turns} turn${st.claudeResult.turns === 1 ? '' : 's'}` : '', st.claudeResult.ms !== null ? `${(st.claudeResult.ms / 1000).toFixed(1)} s` : '', cost !== null ? `$${cost.toFixed(4)}` : ''].filter(Boolean);
  const why = st.claudeResult.subtype === 'success' || st.claudeResult.subtype === 'unknown' ? '' : ` (${st.claudeResult.subtype})`;
  out.line(isError ? `✗ claude failed${why}${text ? `: ${text}` : ''}` : `✓ claude done${bits.length ? ' · ' + bits.join(' · ') : ''}`);
}

export function claudeEvent(ev: Obj, st: RunState, out: Out): void {
  switch (ev.type) {
    case 'system':
      return system(ev, out);
    case 'assistant':
      for (const b of blocks(ev.message)) {
        if (b.type === 'text') for (const l of textLines(str(b.text))) out.line(l);
        else if (b.type === 'tool_use') out.line(`→ ${oneLine(str(b.name), 60)} ${keyArgument(b.input)}`.trimEnd());
      }
      return;
    case 'user':
      for (const b of blocks(ev.message)) {
        if (b.type === 'tool_result' && b.is_error === true) out.line(`✗ tool error: ${oneLine(resultText(b.content), 300)}`);
      }
      return;
    case 'result':
      return result(ev, st, out);
    default:
      // stream_event: partial deltas (--include-partial-messages); the whole message follows anyway.
      return;
  }
}
