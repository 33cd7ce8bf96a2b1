// `looop explain <id>`: a worker's state, the source that decided it and why, and its last events.
import type { Ctx } from '../context.ts';
import { NotFoundError } from '../errors.ts';
import { perceive, type Seen } from './perceive.ts';
import { readWindows, workerId } from './windows.ts';

const EVENTS_SHOWN = 12;
const SOURCE_NAMES: Record<string, string> = {
  hooks: 'claude hooks (--settings)',
  extension: 'the pi extension (-e)',
  screen: 'the screen (quiet at a prompt, dialogs)',
  tmux: 'tmux (the process ended)',
  flag: 'the worker\'s own `looop flag`',
  record: "looop's record (live, but no window)",
};

export async function explainWorker(ctx: Pick<Ctx, 'paths' | 'env'>, id: string): Promise<Seen> {
  workerId(id);
  const seen = (await perceive(ctx, await readWindows(ctx.paths.socket, ctx.env), { write: false })).find((s) => s.id === id);
  if (!seen) throw new NotFoundError(`no worker "${id}" on this profile (see \`looop ls\`)`);
  return seen;
}

const hhmmss = (s: number) => new Date(s * 1000).toTimeString().slice(0, 8);
// Screen text and event payloads come from the worker: no escapes reach the terminal.
// eslint-disable-next-line no-control-regex
const safe = (s: string) => s.replace(/[\x00-\x08\x0b-\x1f\x7f\x9b]/g, ' ');

export function explainJson(s: Seen): Record<string, unknown> {
  return {
    id: s.id, state: s.p.state, source: s.p.source, since: s.p.since, why: s.p.why, ...(s.p.ask ? { asks: s.p.ask } : {}),
    ...(s.p.said ? { said: s.p.said } : {}), cli: s.record?.cli ?? null, runner: s.info.runner,
    events: s.events.slice(-EVENTS_SHOWN),
  };
}

export function explainText(s: Seen): string {
  const out = [`${s.id}  ${s.p.state}  since ${hhmmss(s.p.since)}`, `source  ${SOURCE_NAMES[s.p.source] ?? s.p.source}`, `why     ${safe(s.p.why)}`];
  if (s.p.ask) out.push(`asks    ${safe(s.p.ask)}`);
  const cli = s.record?.cli ?? 'unknown (no record: started by an older looop)';
  out.push(`cli     ${cli} · runner ${s.info.runner}${s.record ? ` · record ${s.record.live ? 'live' : 'ended'}` : ''}`);
  if (s.p.said) out.push('said', ...safe(s.p.said).split('\n').slice(-6).map((l) => `  ${l}`));
  const events = s.events.slice(-EVENTS_SHOWN);
  out.push(events.length ? `events  (last ${events.length})` : 'events  none (no hooks or extension for this CLI: the screen decides)');
  for (const e of events) out.push(`  ${hhmmss(e.ts)}  ${e.ev}${e.kind ? ` ${e.kind}` : ''}${e.tool ? ` ${e.tool}` : ''}${e.command ? `: ${safe(e.command).slice(0, 120)}` : ''}`);
  return out.join('\n') + '\n';
}
