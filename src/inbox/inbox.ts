// The inbox: everything that needs the human, one JSON record per line of inbox.jsonl (append-only,
// committed like the journal). A record's number is its line number; read state is a scratch file.
import { appendFileSync, closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { readJsonOr, readTextOr, writeJsonAtomic } from '../atomic.ts';
import type { Paths } from '../paths.ts';

export const INBOX_KINDS = ['flag', 'flag_cleared', 'notify', 'failing', 'held', 'resumed', 'lost', 'ask', 'verify_failed'] as const;
export type InboxKind = (typeof INBOX_KINDS)[number] | (string & {});

export interface InboxInput {
  kind: InboxKind;
  title: string;
  message: string;
  worker?: string;
}

export interface InboxRecord extends InboxInput {
  /** 1-based line number in inbox.jsonl. */
  n: number;
  ts: string;
}

const MAX_TITLE = 200;
const MAX_MESSAGE = 2000;

// eslint-disable-next-line no-control-regex
const oneLine = (s: string, max: number) => s.replace(/[\x00-\x1f\x7f]+/g, ' ').trim().slice(0, max);

/** Appends one record with a single write (O_APPEND: concurrent writers never interleave a line). */
export function recordInbox(paths: Pick<Paths, 'inbox'>, rec: InboxInput, now = new Date()): void {
  const line = {
    ts: now.toISOString(),
    kind: oneLine(rec.kind, 40),
    title: oneLine(rec.title, MAX_TITLE),
    message: String(rec.message ?? '').slice(0, MAX_MESSAGE),
    ...(rec.worker ? { worker: oneLine(rec.worker, 100) } : {}),
  };
  mkdirSync(dirname(paths.inbox), { recursive: true });
  appendFileSync(paths.inbox, JSON.stringify(line) + '\n');
}

/** Never lets an inbox problem (full disk, unwritable dir) fail the move that raised it. */
export function tryRecordInbox(paths: Pick<Paths, 'inbox'>, rec: InboxInput, now = new Date()): void {
  try {
    recordInbox(paths, rec, now);
  } catch {
    // the record is lost; the move it reports still happened and is journaled
  }
}

/** Parses the lines of inbox.jsonl; `first` is the number of the first line given. */
export function parseInbox(text: string, first = 1): InboxRecord[] {
  const out: InboxRecord[] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((l, i) => {
    try {
      const v = JSON.parse(l) as Partial<InboxRecord>;
      if (v && typeof v.kind === 'string' && typeof v.title === 'string') {
        out.push({ n: first + i, ts: String(v.ts ?? ''), kind: v.kind, title: v.title, message: String(v.message ?? ''), ...(v.worker ? { worker: String(v.worker) } : {}) });
      }
    } catch {
      // a torn or hand-edited line still counts as a number, so later numbers never shift
    }
  });
  return out;
}

export function readInbox(paths: Pick<Paths, 'inbox'>): InboxRecord[] {
  return parseInbox(readTextOr(paths.inbox, ''));
}

/** Follows inbox.jsonl from a byte offset, whole lines only; numbers continue from `count`. */
export class InboxTail {
  private offset: number;
  private count: number;
  constructor(private readonly path: string, fromEnd = true) {
    const all = fromEnd ? readTextOr(path, '') : '';
    const text = all.slice(0, all.lastIndexOf('\n') + 1);
    this.offset = Buffer.byteLength(text);
    this.count = text.split('\n').length - 1;
  }

  /** Records appended since the last call. */
  poll(): InboxRecord[] {
    let size: number;
    try {
      size = statSync(this.path).size;
    } catch {
      return [];
    }
    if (size < this.offset) {
      // rewritten by hand (or a git checkout): start over at its end
      this.offset = size;
      return [];
    }
    if (size === this.offset) return [];
    const buf = Buffer.alloc(size - this.offset);
    const fd = openSync(this.path, 'r');
    try {
      readSync(fd, buf, 0, buf.length, this.offset);
    } finally {
      closeSync(fd);
    }
    const end = buf.lastIndexOf(10);
    if (end < 0) return [];
    const text = buf.subarray(0, end + 1).toString('utf8');
    this.offset += end + 1;
    const recs = parseInbox(text, this.count + 1);
    this.count += text.split('\n').length - 1;
    return recs;
  }
}

// Read state: everything up to `upto` is read, plus the numbers in `acked`.
interface ReadState {
  upto: number;
  acked: number[];
}

export function readState(paths: Pick<Paths, 'inboxRead'>): ReadState {
  const v = readJsonOr<Partial<ReadState>>(paths.inboxRead, {});
  return { upto: typeof v.upto === 'number' ? v.upto : 0, acked: Array.isArray(v.acked) ? v.acked.filter((n) => typeof n === 'number') : [] };
}

export function isUnread(s: ReadState, n: number): boolean {
  return n > s.upto && !s.acked.includes(n);
}

export function unread(paths: Pick<Paths, 'inbox' | 'inboxRead'>): InboxRecord[] {
  const s = readState(paths);
  return readInbox(paths).filter((r) => isUnread(s, r.n));
}

/** Acknowledges one record, or every record so far. Returns how many were unread and are now read. */
export function ack(paths: Pick<Paths, 'inbox' | 'inboxRead'>, which: number | 'all'): number {
  const s = readState(paths);
  const all = readInbox(paths);
  const before = all.filter((r) => isUnread(s, r.n));
  let next: ReadState;
  if (which === 'all') next = { upto: all.length ? all[all.length - 1]!.n : s.upto, acked: [] };
  else {
    if (!all.some((r) => r.n === which)) return -1;
    next = { upto: s.upto, acked: [...new Set([...s.acked, which])].sort((a, b) => a - b) };
    // fold a contiguous run into `upto` so the file stays small
    while (next.acked[0] === next.upto + 1) {
      next.upto++;
      next.acked.shift();
    }
  }
  writeJsonAtomic(paths.inboxRead, next);
  return before.length - before.filter((r) => isUnread(next, r.n)).length;
}

// Holds (budget, rate cap, a cause waiting cannot heal) are told once when they start.
type Holds = Record<string, { since: string; reason: string }>;

/** Records a hold in the inbox the first time it is seen (or when `cause` changes); true when it is new. */
export function noteHold(paths: Pick<Paths, 'inbox' | 'holds'>, key: string, rec: InboxInput, now = new Date(), cause = rec.message): boolean {
  const holds = readJsonOr<Holds>(paths.holds, {});
  if (holds[key]?.reason === cause) return false;
  holds[key] = { since: now.toISOString(), reason: cause };
  try {
    writeJsonAtomic(paths.holds, holds);
  } catch {
    return false;
  }
  tryRecordInbox(paths, rec, now);
  return true;
}

/** Ends holds; returns the ones that were on (so a caller can say the loop resumed). */
export function clearHolds(paths: Pick<Paths, 'holds'>, keys: string[]): Array<{ key: string; reason: string }> {
  const holds = readJsonOr<Holds>(paths.holds, {});
  const ended = keys.filter((k) => holds[k]).map((k) => ({ key: k, reason: holds[k]!.reason }));
  if (!ended.length) return [];
  for (const e of ended) delete holds[e.key];
  try {
    writeJsonAtomic(paths.holds, holds);
  } catch {
    // told again next time; harmless
  }
  return ended;
}

export function activeHolds(paths: Pick<Paths, 'holds'>): Holds {
  return readJsonOr<Holds>(paths.holds, {});
}
