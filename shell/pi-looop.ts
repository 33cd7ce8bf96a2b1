// looop's pi extension (passed with `pi -e`): one JSON line per agent event in the worker's event
// file, and each assistant message's cost in looop's ledger (on another host, where there is no ledger,
// the running cost in a status file looop reads). Plain file writes; nothing is sent anywhere.
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';

type Any = Record<string, any>;

export default function (pi: Any) {
  const file = process.env.LOOOP_WORKER_EVENTS;
  const ledger = process.env.LOOOP_COST_LEDGER;
  const status = process.env.LOOOP_WORKER_STATUS;
  // One running total per process: a resumed worker's total starts again under a new run id.
  const run = `pi-${process.pid}-${Date.now()}`;
  let total = 0;
  const id = process.env.LOOOP_SESSION_ID ?? '';
  if (!file) return;
  const put = (ev: string, extra: Any = {}) => {
    try {
      appendFileSync(file, JSON.stringify({ ts: Math.floor(Date.now() / 1000), src: 'pi', ev, ...extra }) + '\n');
    } catch {
      // the worker goes on without looop's signal
    }
  };
  const textOf = (m: Any): string =>
    Array.isArray(m?.content) ? m.content.filter((b: Any) => b?.type === 'text').map((b: Any) => String(b.text ?? '')).join('\n').trim() : '';
  pi.on('session_start', async () => put('session_start'));
  pi.on('agent_start', async () => put('agent_start'));
  pi.on('tool_call', async (e: Any) => put('tool_call', { tool: e.toolName, command: String(e.input?.command ?? e.input?.path ?? '').slice(0, 300) }));
  pi.on('tool_execution_end', async (e: Any) => put('tool_execution_end', { tool: e.toolName }));
  pi.on('message_end', async (e: Any) => {
    const m = e.message;
    const cost = m?.role === 'assistant' ? Number(m.usage?.cost?.total ?? 0) : 0;
    if (!(cost > 0)) return;
    try {
      if (ledger) appendFileSync(ledger, JSON.stringify({ ts: new Date().toISOString(), kind: 'session', id, runner: 'pi', cost_usd: Math.round(cost * 1e6) / 1e6 }) + '\n');
      if (status) {
        total += cost;
        writeFileSync(`${status}.tmp`, JSON.stringify({ session_id: run, cost: { total_cost_usd: Math.round(total * 1e6) / 1e6 } }) + '\n');
        renameSync(`${status}.tmp`, status);
      }
    } catch {
      // spend is best effort from the worker side
    }
  });
  pi.on('agent_end', async (e: Any) => {
    const last = [...(e.messages ?? [])].reverse().find((m: Any) => m?.role === 'assistant');
    put('agent_end', { said: textOf(last).slice(-400) });
  });
  pi.on('session_shutdown', async () => put('session_shutdown'));
}
