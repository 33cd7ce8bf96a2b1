// A real sshd on 127.0.0.1 for one test: throwaway host and user keys, its own config, its own HOME for the
// "remote" side (SetEnv HOME), and an ssh_config the client uses instead of ~/.ssh/config.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync, chmodSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { sshControlPath } from '../../src/paths.ts';
import { cleanEnv } from './profile.ts';

export const SSHD = '/usr/sbin/sshd';

/** Why the test cannot run here, or null. */
export function sshdMissing(): string | null {
  if (!existsSync(SSHD)) return `${SSHD} is not installed (Debian: apt-get install openssh-server)`;
  if (spawnSync('ssh', ['-V']).status !== 0) return 'the ssh client is not installed';
  if (spawnSync('ssh-keygen', ['-?']).error) return 'ssh-keygen is not installed';
  return null;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
    srv.on('error', rej);
  });
}

export interface Sshd {
  port: number;
  /** The `hosts` config naming this sshd "loop1". */
  hosts: { loop1: { ssh: string; port: number; identity: string } };
  /** The profile servers looop started on this "host" (one per profile key). */
  remoteSockets(): string[];
  /** Ends what a test left on the host (its tmux servers, the profile's shared connection), then sshd. */
  teardown(dataDir: string): void;
  /** The "remote" user's HOME. */
  home: string;
  identity: string;
  /** ssh_config for the client (LOOOP_SSH_CONFIG). */
  clientConfig: string;
  start(): Promise<void>;
  stop(): void;
}

export async function makeSshd(dir: string): Promise<Sshd> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const home = join(dir, 'remote-home');
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const hostKey = join(dir, 'host_key');
  const identity = join(dir, 'user_key');
  spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey], { stdio: 'ignore' });
  spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', identity], { stdio: 'ignore' });
  const authorized = join(dir, 'authorized_keys');
  spawnSync('sh', ['-c', `cat '${identity}.pub' > '${authorized}'`]);
  chmodSync(authorized, 0o600);
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  const user = userInfo().username;
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${authorized}`,
      'UsePAM no',
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      `PermitRootLogin ${user === 'root' ? 'prohibit-password' : 'no'}`,
      `AllowUsers ${user}`,
      `SetEnv HOME=${home}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'LogLevel ERROR',
      'PrintMotd no',
      'MaxSessions 50',
      'MaxStartups 50',
      '',
    ].join('\n'),
  );
  const known = join(dir, 'known_hosts');
  const clientConfig = join(dir, 'ssh_config');
  writeFileSync(clientConfig, ['Host *', `  UserKnownHostsFile ${known}`, '  StrictHostKeyChecking accept-new', '  LogLevel ERROR', ''].join('\n'));
  // sshd's privilege separation needs /run/sshd (made by its package's service, which is not running here).
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  let child: ChildProcess | null = null;
  const remoteSockets = () => {
    const base = join(home, '.looop-remote');
    return existsSync(base)
      ? readdirSync(base)
          .map((k) => join(base, k, 'tmux.sock'))
          .filter(existsSync)
      : [];
  };
  const s: Sshd = {
    port,
    hosts: { loop1: { ssh: '127.0.0.1', port, identity } },
    remoteSockets,
    teardown(dataDir) {
      for (const sock of remoteSockets()) spawnSync('tmux', ['-S', sock, 'kill-server'], { env: cleanEnv() });
      spawnSync('ssh', ['-o', `ControlPath=${sshControlPath(dataDir, 'loop1')}`, '-O', 'exit', 'x'], { stdio: 'ignore' });
      s.stop();
    },
    home,
    identity,
    clientConfig,
    async start() {
      child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr!.on('data', (d) => (err += d));
      // Listening when a connection is accepted.
      for (let i = 0; i < 100; i++) {
        const ok = await new Promise<boolean>((res) => {
          const sock = connect(port, '127.0.0.1');
          sock.on('connect', () => {
            sock.destroy();
            res(true);
          });
          sock.on('error', () => res(false));
        }).catch(() => false);
        if (ok) return;
        if (child.exitCode !== null) throw new Error(`sshd exited: ${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`sshd did not listen on ${port}: ${err}`);
    },
    // Like a host going away: the listener and every connection it forked (by parent pid) end.
    stop() {
      if (child && child.exitCode === null && child.pid) {
        spawnSync('pkill', ['-KILL', '-P', String(child.pid)]);
        child.kill('SIGKILL');
      }
      child = null;
    },
  };
  return s;
}

/** A running sshd as host "loop1" for a profile: its files under the profile's root, the profile's env pointed at it. */
export async function hostFor(p: { root: string; env: NodeJS.ProcessEnv }): Promise<Sshd> {
  const sshd = await makeSshd(join(p.root, 'sshd'));
  await sshd.start();
  p.env.LOOOP_SSH_CONFIG = sshd.clientConfig;
  p.env.LOOOP_HOST_TIMEOUT_MS = '3000';
  return sshd;
}
