// Questions the decider asks the person (action ask): one file each in asks/, answered, approved or
// denied by the person's own verbs. An approved `run` runs unsandboxed exactly once.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { readJsonOr, writeJsonAtomic } from './atomic.ts';
import { LooopError } from './errors.ts';
import type { Paths } from './paths.ts';

export type AskStatus = 'open' | 'answered' | 'approved' | 'denied';

export interface Ask {
  id: string;
  ts: string;
  question: string;
  options?: string[];
  /** A command that needs the person's approval (it runs unsandboxed, once). */
  run?: string;
  status: AskStatus;
  answer?: string;
  by?: string;
  closed_at?: string;
  exit_code?: number | null;
}

const ASK_ID = /^a[0-9]{1,6}$/;
export const isAskId = (s: string) => ASK_ID.test(s);
/** `approve a3` / `deny a3`: the ask a3 if there is one, else a worker by that name, else (neither) the ask. */
export const meansAsk = (paths: Paths, s: string) => isAskId(s) && (existsSync(paths.ask(s)) || !existsSync(paths.workerRecord(s)));

export function listAsks(paths: Paths): Ask[] {
  let files: string[] = [];
  try {
    files = readdirSync(paths.asks);
  } catch {
    return [];
  }
  const asks: Ask[] = [];
  for (const f of files) {
    const id = f.replace(/\.json$/, '');
    if (!f.endsWith('.json') || !isAskId(id)) continue;
    const a = readJsonOr<Ask | null>(paths.ask(id), null);
    if (a && typeof a.question === 'string' && typeof a.status === 'string') asks.push({ ...a, id });
  }
  return asks.sort((x, y) => Number(x.id.slice(1)) - Number(y.id.slice(1)));
}

/** Writes a new open ask and returns it; the caller surfaces it (askRaised). */
export function raiseAsk(paths: Paths, q: { question: string; options?: string[]; run?: string }, now: Date): Ask {
  mkdirSync(paths.asks, { recursive: true });
  const next = listAsks(paths).reduce((n, a) => Math.max(n, Number(a.id.slice(1))), 0) + 1;
  const ask: Ask = { id: `a${next}`, ts: now.toISOString(), question: q.question, ...(q.options?.length ? { options: q.options } : {}), ...(q.run ? { run: q.run } : {}), status: 'open' };
  writeJsonAtomic(paths.ask(ask.id), ask);
  return ask;
}

/** The one line that surfaces an ask (journal, status line, inbox): what it asks and how to answer. */
// eslint-disable-next-line no-control-regex
const oneLine = (t: string, max: number) => t.replace(/[\x00-\x1f\x7f-\x9f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, max);

export function askLine(a: Ask): string {
  const how = a.run ? `looop approve ${a.id} | looop deny ${a.id}` : `looop answer ${a.id} <text>`;
  const opts = a.options?.length ? ` [${oneLine(a.options.join(' / '), 200)}]` : '';
  const run = a.run ? ` (wants to run: ${oneLine(a.run, 160)})` : '';
  return `asks ${a.id}: ${oneLine(a.question, 200)}${opts}${run} — ${how}`;
}

export class AskProblem extends LooopError {}

export function openAsk(paths: Paths, id: string): Ask {
  if (!isAskId(id)) throw new AskProblem(`"${id}" is not an ask id (like a3; see looop status)`);
  if (!existsSync(paths.ask(id))) throw new AskProblem(`no ask ${id}`);
  const a = JSON.parse(readFileSync(paths.ask(id), 'utf8')) as Ask;
  if (a.status !== 'open') throw new AskProblem(`ask ${id} is already ${a.status}${a.by ? ` by ${a.by}` : ''}`);
  return { ...a, id };
}

export function closeAsk(paths: Paths, a: Ask, status: Exclude<AskStatus, 'open'>, fields: Partial<Ask>, by: string, now: Date): Ask {
  const closed: Ask = { ...a, ...fields, status, by, closed_at: now.toISOString() };
  writeJsonAtomic(paths.ask(a.id), closed);
  return closed;
}

/** For the prompt and the world hash: every open ask, and the last few closed ones. */
export function asksForDecider(asks: Ask[], closedKeep = 5): Ask[] {
  const closed = asks.filter((a) => a.status !== 'open').slice(-closedKeep);
  return asks.filter((a) => a.status === 'open' || closed.includes(a));
}

export function askPromptLine(a: Ask): string {
  const q = JSON.stringify(a.question);
  const run = a.run ? ` run=${JSON.stringify(a.run)}` : '';
  switch (a.status) {
    case 'open':
      return `${a.id} open: ${q}${run} (waiting for the person; do not ask again)`;
    case 'answered':
      return `${a.id} answered: ${q} -> ${JSON.stringify(a.answer ?? '')}`;
    case 'approved':
      return `${a.id} approved by ${a.by}: ${q}${run} -> ran, exit ${a.exit_code ?? 'by signal'}`;
    case 'denied':
      return `${a.id} denied by ${a.by}: ${q}${run}${a.answer ? ` (${JSON.stringify(a.answer)})` : ''}`;
  }
}
