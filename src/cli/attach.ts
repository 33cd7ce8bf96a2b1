// `looop attach <id>` / `looop detach <id>`: a plain tmux client on the profile's server.
import { spawn } from 'node:child_process';
import { context } from '../context.ts';
import { InvalidInputError } from '../errors.ts';
import { attachArgv, attachCommand, detachClients, listClients, popupInUserTmux, tmuxEnv, userServerSocket } from '../tmux.ts';
import { findWindow } from '../fleet/windows.ts';

export async function attach(a: { id: string; popup?: boolean }): Promise<number> {
  const ctx = context();
  const row = await findWindow(ctx.paths.socket, String(a.id), { allowPulse: true });
  const user = userServerSocket();
  if (a.popup) {
    if (!user) throw new InvalidInputError('--popup needs to run inside tmux ($TMUX is not set); use plain `looop attach`');
    popupInUserTmux(user, row.server, row.windowId, `looop: ${row.id}`);
    return 0;
  }
  const argv = attachArgv(row.server, row.windowId);
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new InvalidInputError(`attach needs a terminal; from one, run: ${attachCommand(row.server)}`);
  }
  // Inside another tmux this is a nested client in the current pane (TMUX is not passed on).
  const child = spawn(argv[0]!, argv.slice(1), { stdio: 'inherit', env: tmuxEnv() });
  return new Promise((resolve) => {
    child.on('error', () => resolve(1));
    child.on('close', (code) => resolve(code ?? 1));
  });
}

export async function detach(a: { id: string; json?: boolean }): Promise<number> {
  const ctx = context();
  const row = await findWindow(ctx.paths.socket, String(a.id), { allowPulse: true });
  const clients = (await listClients(row.server)).filter((c) => c.windowId === row.windowId).map((c) => c.name);
  await detachClients(row.server, clients);
  if (a.json) process.stdout.write(JSON.stringify({ id: row.id, detached: clients }) + '\n');
  else process.stdout.write(clients.length ? `detached ${clients.length} client(s) from ${row.id}\n` : `no client is attached to ${row.id}\n`);
  return 0;
}
