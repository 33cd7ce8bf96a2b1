// Flags: the @looop_flag window option is the truth; the window's bell and a message to
// attached clients are the signal; the shipped status line shows ⚑ and the note.
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { tryRecordInbox } from '../inbox/inbox.ts';
import { listClients, messageClients, setWindowOptions } from '../tmux.ts';
import type { FleetCtx } from './launch.ts';
import { FLAG_MARK, OPT, findWindow, type WindowRow } from './windows.ts';

/** Notes are one line of plain text (the list format is tab-separated, the status line is one row). */
export function cleanNote(note: string): string {
  // eslint-disable-next-line no-control-regex
  return note.replace(/[\x00-\x1f\x7f]+/g, ' ').trim().slice(0, 300);
}

/** A BEL written to the pane's terminal reaches tmux as the program's own output: the window's bell fires. */
function ringBell(row: WindowRow): void {
  // A remote pane's tty names a device on its host, not here.
  if (!row.paneTty || row.pid === null || row.host) return;
  try {
    const fd = openSync(row.paneTty, constants.O_WRONLY | constants.O_NOCTTY | constants.O_NONBLOCK);
    try {
      writeSync(fd, '\x07');
    } finally {
      closeSync(fd);
    }
  } catch {
    // A bell is only the signal; the option is already set.
  }
}

export async function raiseFlag(ctx: FleetCtx, id: string, note: string, by: 'blocker' | null = null, known?: WindowRow): Promise<WindowRow> {
  const row = known ?? (await findWindow(ctx.paths.socket, id));
  const socket = row.server;
  const text = cleanNote(note);
  await setWindowOptions(socket, row.windowId, {
    [OPT.flag]: text ? `${FLAG_MARK} ${text}` : FLAG_MARK,
    [OPT.flagTs]: String(Date.now()),
    [OPT.flagBy]: by,
  });
  ringBell(row);
  tryRecordInbox(ctx.paths, { kind: 'flag', title: `⚑ ${id}${text ? `: ${text}` : ' is waiting for you'}`, message: text, worker: id });
  const clients = await listClients(socket);
  await messageClients(socket, clients.map((c) => c.name), `${FLAG_MARK} ${id}${text ? `: ${text}` : ' is waiting for you'}`);
  return row;
}

export async function clearFlag(ctx: FleetCtx, id: string): Promise<WindowRow> {
  const row = await findWindow(ctx.paths.socket, id);
  await setWindowOptions(row.server, row.windowId, { [OPT.flag]: null, [OPT.flagTs]: null, [OPT.popped]: null, [OPT.flagBy]: null });
  if (row.flag !== null) tryRecordInbox(ctx.paths, { kind: 'flag_cleared', title: `flag cleared on ${id}`, message: '', worker: id });
  return row;
}
