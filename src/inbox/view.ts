// `looop inbox`: the records as lines a person reads (newest last), and the ack verb's logic.
import dayjs from 'dayjs';
import { safeLine } from '../events.ts';
import type { Paths } from '../paths.ts';
import { isUnread, readInbox, readState, type InboxRecord } from './inbox.ts';

export const safe = safeLine;

export function inboxLine(r: InboxRecord, color = false, read = false): string {
  const when = dayjs(r.ts).isValid() ? dayjs(r.ts).format(dayjs(r.ts).isSame(dayjs(), 'day') ? 'HH:mm' : 'MM-DD HH:mm') : '?';
  const extra = r.message && r.message !== r.title && r.kind !== 'notify' ? ` — ${safe(r.message).slice(0, 300)}` : '';
  const hint = r.kind === 'flag' && r.worker ? `  (looop attach ${r.worker})` : '';
  const line = `#${r.n}  ${when}  ${r.kind.padEnd(12)} ${safe(r.title)}${extra}${hint}`;
  return color && read ? `\x1b[2m${line}\x1b[0m` : line;
}

export interface InboxView {
  unread: number;
  total: number;
  items: Array<InboxRecord & { read: boolean }>;
}

export function viewInbox(paths: Pick<Paths, 'inbox' | 'inboxRead'>, all: boolean): InboxView {
  const s = readState(paths);
  const recs = readInbox(paths).map((r) => ({ ...r, read: !isUnread(s, r.n) }));
  const unread = recs.filter((r) => !r.read).length;
  return { unread, total: recs.length, items: all ? recs : recs.filter((r) => !r.read) };
}

export function formatInbox(v: InboxView, color: boolean): string {
  if (!v.items.length) return v.total ? `inbox: nothing unread (${v.total} read; looop inbox --all)\n` : 'inbox: empty\n';
  const head = `${v.unread} unread${v.unread ? ' (looop inbox ack <n|all>)' : ''}`;
  return [head, ...v.items.map((r) => inboxLine(r, color, r.read))].join('\n') + '\n';
}
