// Typing into a worker the way agent TUIs need it: locked, out of copy mode, literal keys or a
// bracketed paste, Enter on its own, then a check that the text left the input line.
import { randomBytes } from 'node:crypto';
import { InvalidInputError } from '../errors.ts';
import { paneScreen, sendLiteral, pasteText, sendKeyNames, leaveMode, type Server } from '../tmux.ts';
import { withInputLock } from './input-lock.ts';
import { waitUntilReady } from './ready.ts';
import type { FleetCtx } from './launch.ts';
import { findLive, type WindowRow } from './windows.ts';
import { sleep } from '../proc/sleep.ts';

export interface SendOutcome {
  id: string;
  bytes: number;
  mode: 'keys' | 'paste';
  /** false: the text still sits in the input line after every Enter (never reported as success). */
  submitted: boolean;
  /** How many times Enter was pressed (0 with --no-enter). */
  enters: number;
}

const SHORT = 200;
const RETRY_MS = [150, 300, 600, 1200];

interface Screen {
  cursor: string;
  dead: boolean;
  rows: string[];
}

async function screen(socket: Server, paneId: string): Promise<Screen> {
  const s = await paneScreen(socket, paneId);
  return { cursor: `${s.cursorX},${s.cursorY}`, dead: s.dead, rows: s.lines };
}

/** The tail of the text's last line: what an input line shows right after typing. */
export function snippetOf(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const last = lines[lines.length - 1] ?? '';
  return last.slice(-20);
}

const rowOf = (s: Screen, snippet: string) => {
  for (let i = s.rows.length - 1; i >= 0; i--) if (s.rows[i]!.includes(snippet)) return i;
  return -1;
};

/**
 * The text never showed before Enter: fine for a program that does not echo (it prints the line once it
 * has it), but a program that dropped the text shows nothing at all. Only a text seen counts as submitted.
 */
async function shownAfterEnter(socket: Server, paneId: string, snippet: string): Promise<boolean> {
  for (const wait of RETRY_MS) {
    await sleep(wait);
    const after = await screen(socket, paneId);
    if (after.dead || shows(after, snippet)) return true;
  }
  return false;
}

/** Anywhere on the screen, also where the program wrapped the line across rows. */
const shows = (s: Screen, snippet: string) => rowOf(s, snippet) >= 0 || s.rows.map((r) => r.trimEnd()).join('').includes(snippet);

/** Enter, then: if the cursor did not move and the input row still shows the text, Enter again (backoff). */
async function submit(socket: Server, paneId: string, text: string, settleMs: number): Promise<{ submitted: boolean; enters: number }> {
  const snippet = snippetOf(text);
  let before: Screen | null = null;
  let row = -1;
  // Let the program draw what was typed, so we know which row holds it.
  for (const wait of [settleMs, 100, 200]) {
    await sleep(wait);
    before = await screen(socket, paneId);
    row = snippet ? rowOf(before, snippet) : -1;
    if (row >= 0 || before.dead) break;
  }
  await sendKeyNames(socket, paneId, ['Enter']);
  if (!before || before.dead || !snippet) return { submitted: true, enters: 1 };
  if (row < 0) return { submitted: await shownAfterEnter(socket, paneId, snippet), enters: 1 };
  let enters = 1;
  for (const wait of RETRY_MS) {
    await sleep(wait);
    const after = await screen(socket, paneId);
    if (after.dead) return { submitted: true, enters };
    const still = after.cursor === before.cursor && after.rows[row] === before.rows[row];
    if (!still) return { submitted: true, enters };
    if (enters > RETRY_MS.length - 1) break;
    await sendKeyNames(socket, paneId, ['Enter']);
    enters++;
  }
  return { submitted: false, enters };
}

async function typeText(socket: Server, row: WindowRow, text: string): Promise<'keys' | 'paste'> {
  if (row.inMode) await leaveMode(socket, row.paneId);
  const multi = /[\r\n]/.test(text) || text.length > SHORT;
  if (!multi) {
    await sendLiteral(socket, row.paneId, text);
    return 'keys';
  }
  await pasteText(socket, row.paneId, text, `looop-${process.pid}-${randomBytes(4).toString('hex')}`);
  return 'paste';
}

export async function sendText(ctx: FleetCtx, id: string, text: string, opts: { enter?: boolean } = {}): Promise<SendOutcome> {
  const row = await findLive(ctx.paths.socket, id);
  const socket = row.server;
  return withInputLock(ctx.paths.inputLock(id), async () => {
    await waitUntilReady(socket, row.paneId, row.startedAt);
    const mode = text.length ? await typeText(socket, row, text) : 'keys';
    const base = { id, bytes: Buffer.byteLength(text), mode };
    if (opts.enter === false) return { ...base, submitted: false, enters: 0 };
    const res = await submit(socket, row.paneId, text, mode === 'paste' ? 250 : 100);
    return { ...base, ...res };
  });
}

// tmux types an unknown key name as literal text; a typo like "Entr" must fail instead.
const NAMED = /^(Enter|Escape|Tab|BTab|Space|BSpace|Up|Down|Left|Right|Home|End|PageUp|PgUp|PageDown|PgDn|PPage|NPage|IC|DC|Insert|Delete|F([1-9]|1[0-2])|KP[0-9]|KP(Enter|Plus|Minus|Star|Slash|Period)|Any)$/i;

export function keyProblem(key: string): string | null {
  const base = key.replace(/^((C|M|S)-)+/i, '');
  if ([...base].length === 1 || NAMED.test(base)) return null;
  return `unknown key ${JSON.stringify(key)}: use tmux key names (Enter, Escape, Tab, Up, BSpace, C-c, M-x, F1, ...); type text with \`looop send\``;
}

export async function sendKeys(ctx: FleetCtx, id: string, keys: string[]): Promise<void> {
  const bad = keys.map(keyProblem).find(Boolean);
  if (bad) throw new InvalidInputError(bad);
  const row = await findLive(ctx.paths.socket, id);
  const socket = row.server;
  await withInputLock(ctx.paths.inputLock(id), async () => {
    if (row.inMode) await leaveMode(socket, row.paneId);
    await sendKeyNames(socket, row.paneId, keys);
  });
}
