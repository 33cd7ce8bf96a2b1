// `looop approve <worker>` / `looop deny <worker>`: answer the agent CLI's permission dialog on its screen.
import { InvalidInputError } from '../errors.ts';
import { capturePane } from '../tmux.ts';
import type { FleetCtx } from './launch.ts';
import { sendKeys } from './steer.ts';
import { findLive } from './windows.ts';

// claude's tool permission dialog: "Do you want to …?" over "1. Yes / 2. Yes, and … / 3. No, and tell Claude … (esc)".
const DIALOG = /Do you want to (proceed|make this edit to|create|run|allow)[^\n]*\?/;
const YES = /(?:❯\s*)?1\.\s*Yes\b/;

/** The dialog's question when the screen's bottom shows claude's permission prompt, else null. */
export function permissionQuestion(screen: string): string | null {
  const bottom = screen.split('\n').slice(-30).join('\n');
  if (!DIALOG.test(bottom) || !YES.test(bottom)) return null;
  return DIALOG.exec(bottom)![0];
}

export async function answerPermission(ctx: FleetCtx, id: string, yes: boolean): Promise<string> {
  const row = await findLive(ctx.paths.socket, id);
  const screen = await capturePane(row.server, row.paneId);
  const q = permissionQuestion(screen);
  if (!q) throw new InvalidInputError(`"${id}" shows no permission prompt to ${yes ? 'approve' : 'deny'} (see looop shot ${id})`);
  // "1" picks Yes (once, not "don't ask again"); Escape is the dialog's No.
  await sendKeys(ctx, id, [yes ? '1' : 'Escape']);
  return q;
}
