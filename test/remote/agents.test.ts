// Real claude and pi workers on host "loop1" (a real sshd on 127.0.0.1, its own HOME) against the fake
// API: claude's hooks and pi's extension write events on the host, the listing reads them in the same
// round trip, and their state comes from them as for a local worker. send / expect work with them.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { cliPath, missing, seedClaudeHome, seedPiAgentDir } from '../fake-llm/clis.ts';
import { e2eProfile, ledger, type E2E } from '../e2e/harness.ts';
import { cleanEnv } from '../helpers/profile.ts';
import { makeSshd, sshdMissing, type Sshd } from '../helpers/sshd.ts';
import { BUILTIN_RUNNERS, shellQuote } from '../../src/runners.ts';

const skip = sshdMissing() ? `needs a local sshd: ${sshdMissing()}` : missing('claude');
const T = { timeout: 150_000, skip };
const piSkip = skip || missing('pi');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let e: E2E;
let sshd: Sshd;
let env: Record<string, string>;
const seen: Array<{ state: string; source: string }> = [];

/** The worker's files on the host. */
const hostFile = (id: string, name: string) => {
  const base = join(sshd.home, '.looop-remote');
  for (const k of existsSync(base) ? readdirSync(base) : []) {
    const f = join(base, k, 'sessions', id, name);
    if (existsSync(f)) return readFileSync(f, 'utf8');
  }
  return '';
};

const ls = async (): Promise<Array<Record<string, any>>> => {
  const r = await e.p.runAsync(['ls', '--json'], { env });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
};

/** Polls `ls --json` (async: the fake API answers from this process) until `id` is in `state` (known from `source`). */
const until = async (id: string, state: string, source?: string, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const w = (await ls()).find((x) => x.id === id);
    if (w && seen.at(-1)?.state !== w.state) seen.push({ state: w.state, source: w.source });
    if (w?.state === state && (!source || w.source === source)) return w;
    if (Date.now() > deadline) {
      const shot = (await e.p.runAsync(['shot', id], { env })).stdout;
      throw new Error(
        `${id} never reached ${state}${source ? ` from ${source}` : ''}; seen: ${JSON.stringify(seen)}\nevents on the host:\n${hostFile(id, 'events.jsonl').slice(-3000)}\nscreen:\n${shot}`,
      );
    }
    await sleep(250);
  }
};

before(async () => {
  if (skip) return;
  e = await e2eProfile('claude');
  sshd = await makeSshd(join(e.p.root, 'sshd'));
  await sshd.start();
  // The remote side's HOME: claude set up there as after a first run, its home folder (the worker's cwd) trusted.
  seedClaudeHome(sshd.home, [sshd.home]);
  const piAgent = join(sshd.home, '.pi', 'agent');
  if (!piSkip) seedPiAgentDir(piAgent, e.api);
  // PI_* pass to windows by name (the env file looop writes on the host).
  const pi = { PI_CODING_AGENT_DIR: piAgent, PI_OFFLINE: '1', PI_SKIP_VERSION_CHECK: '1', PI_TELEMETRY: '0' };
  env = { ...e.env, ...pi, LOOOP_SSH_CONFIG: sshd.clientConfig, LOOOP_HOST_TIMEOUT_MS: '5000' };
  const cfg = JSON.parse(readFileSync(e.p.configPath, 'utf8'));
  // The host's shell has its own PATH: the pinned claude by its absolute path.
  const far = { ...cfg.runners.claude, interactive: cfg.runners.claude.interactive.replace(/\bclaude /, `${shellQuote(cliPath('claude')!)} `) };
  const farpi = { ...BUILTIN_RUNNERS.pi, interactive: BUILTIN_RUNNERS.pi!.interactive!.replace(/^pi /, `${shellQuote(cliPath('pi') ?? 'pi')} `) };
  e.p.writeConfig({ ...cfg, runners: { ...cfg.runners, far, farpi }, hosts: sshd.hosts });
});

after(async () => {
  if (skip) return;
  sshd.teardown(e.p.dataDir);
  await e.close();
});

it('a claude worker on host loop1: working → waiting from its hooks there; send and expect work', T, async () => {
  e.api.queue({ text: 'Hello from the far side.', delayMs: 4000 });
  let r = await e.p.runAsync(['start-session', 'cf', 'Say hello, then wait.', 'far', '--host', 'loop1'], { env });
  assert.equal(r.code, 0, r.stderr);
  // Before its first event a quiet prompt may read as waiting from the screen: the hooks have the last word.
  const w = await until('cf', 'waiting', 'hooks');
  assert.equal(w.host, 'loop1');
  assert.ok(
    seen.some((s) => s.state === 'working'),
    JSON.stringify(seen),
  );
  assert.match(hostFile('cf', 'events.jsonl'), /"ev":"Stop"/, 'the hooks wrote on the host');
  assert.equal(existsSync(join(e.p.dataDir, 'sessions', 'cf', 'events.jsonl')), false, 'no local events file for a remote worker');
  const explained = await e.p.runAsync(['explain', 'cf'], { env });
  assert.equal(explained.code, 0, explained.stderr);
  assert.match(explained.stdout, /claude hooks[\s\S]*Stop/);

  e.api.queue({ text: 'REMOTE-REPLY-42 as asked.', delayMs: 3000 });
  r = await e.p.runAsync(['send', 'cf', 'say the magic words'], { env });
  assert.equal(r.code, 0, r.stderr);
  await until('cf', 'working');
  r = await e.p.runAsync(['expect', 'cf', 'REMOTE-REPLY-\\d+', '--timeout', '60'], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /REMOTE-REPLY-42/);
  const done = await until('cf', 'waiting', 'hooks');
  assert.match(String(done.said ?? ''), /REMOTE-REPLY-42/);
});

it("a beat books the remote worker's spend from its status line on the host", T, async () => {
  await until('cf', 'waiting');
  // The status line runs when claude redraws; the fake API reports usage, so its cost is above zero.
  const status = () => {
    try {
      return JSON.parse(hostFile('cf', 'status.json'));
    } catch {
      return null;
    }
  };
  const deadline = Date.now() + 30_000;
  while (!(Number(status()?.cost?.total_cost_usd) > 0) && Date.now() < deadline) await sleep(250);
  assert.ok(Number(status()?.cost?.total_cost_usd) > 0, `no cost in the status file on the host: ${hostFile('cf', 'status.json').slice(0, 500)}`);
  // The pulse's reading (write) books it; a forced tick performs that reading.
  e.api.queue({ text: JSON.stringify({ action: 'noop', reason: 'nothing to do', journal: 'noop' }), sticky: true });
  const deadline2 = Date.now() + 30_000;
  while (!ledger(e.p).some((l) => l.kind === 'session' && l.id === 'cf') && Date.now() < deadline2) {
    await e.p.runAsync(['tick', '--force'], { env });
    await sleep(500);
  }
  e.api.reset();
  const row = ledger(e.p).find((l) => l.kind === 'session' && l.id === 'cf');
  assert.ok(row, `no session row for cf in the ledger: ${JSON.stringify(ledger(e.p))}`);
  assert.ok(Math.abs(row.cost_usd - Number(status().cost.total_cost_usd)) < 1e-6);
});

it('asking on the host: a Bash call needing permission is flagged with the command; answered, it works and waits again', T, async () => {
  await until('cf', 'waiting', 'hooks');
  const bash = { name: 'Bash', input: { command: 'node -e 1 && echo far-perceived-ok', description: 'Run it' } };
  e.api.queue({ text: 'Running it.', tools: [bash] }, { text: 'It printed far-perceived-ok.', delayMs: 2000 });
  assert.equal((await e.p.runAsync(['send', 'cf', 'run the command'], { env })).code, 0);
  const w = await until('cf', 'asking');
  assert.match(String(w.flag), /Bash: node -e 1 && echo far-perceived-ok/);
  assert.equal((await e.p.runAsync(['key', 'cf', 'Enter'], { env })).code, 0);
  const done = await until('cf', 'waiting', 'hooks');
  assert.equal(done.flag, null);
  assert.match(hostFile('cf', 'events.jsonl'), /"ev":"PostToolUse"/);
});

it('a pi worker on host loop1: its extension (put there by looop) writes the events; working → waiting', { ...T, skip: piSkip }, async () => {
  e.api.queue({ text: 'Pi says hello from afar.', delayMs: 3000 });
  const r = await e.p.runAsync(['start-session', 'pf', 'Say hello, then wait.', 'farpi', '--host', 'loop1'], { env });
  assert.equal(r.code, 0, r.stderr);
  seen.length = 0;
  const w = await until('pf', 'waiting', 'extension');
  assert.match(hostFile('pf', 'events.jsonl'), /"ev":"agent_end"/);
  assert.match(String(w.said ?? ''), /Pi says hello/);
  // Its running cost is kept on the host (no ledger there); a beat books it here.
  assert.ok(Number(JSON.parse(hostFile('pf', 'status.json') || '{}').cost?.total_cost_usd) > 0, hostFile('pf', 'status.json'));
  e.api.queue({ text: JSON.stringify({ action: 'noop', reason: 'nothing to do', journal: 'noop' }), sticky: true });
  const deadline = Date.now() + 30_000;
  while (!ledger(e.p).some((l) => l.kind === 'session' && l.id === 'pf') && Date.now() < deadline) {
    await e.p.runAsync(['tick', '--force'], { env });
    await sleep(500);
  }
  e.api.reset();
  const row = ledger(e.p).find((l) => l.kind === 'session' && l.id === 'pf');
  assert.ok(row && row.cost_usd > 0 && row.runner === 'farpi', JSON.stringify(ledger(e.p)));
});

it("one round trip brings the workers' files; an unchanged one is not sent again; a rewritten id reads nothing outside", T, async () => {
  const { context } = await import('../../src/context.ts');
  const { readHostState, remoteOf } = await import('../../src/fleet/remote.ts');
  const { listWindowsWithScreens } = await import('../../src/tmux.ts');
  const { LIST_FORMAT } = await import('../../src/fleet/windows.ts');
  const ctx = context({ ...e.p.env, ...env });
  const r = remoteOf(readHostState(ctx.paths, 'loop1')!);
  // Two more panes on that server, so pane ids reach %3 (those once lost their screens: the marker went through strftime).
  const sock0 = sshd.remoteSockets()[0]!;
  for (let i = 0; i < 2; i++) spawnSync('tmux', ['-S', sock0, 'new-window', '-d', '-t', 'looop', '-n', `extra${i}`, 'sleep 120'], { env: cleanEnv() });
  const first = (await listWindowsWithScreens(r, LIST_FORMAT))!;
  spawnSync('tmux', ['-S', sock0, 'kill-window', '-t', '=looop:=extra0', ';', 'kill-window', '-t', '=looop:=extra1'], { env: cleanEnv() });
  const pane = first.list
    .split('\n')
    .map((l) => l.split('\t'))
    .find((f) => f[3] === 'cf')![2]!;
  assert.match(first.tails.get('cf/events.jsonl')?.text ?? '', /"ev":"Stop"/);
  assert.ok(first.screens.get(pane)?.length, 'the screen came with it');
  const panes = first.list
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[2]!);
  assert.ok(
    panes.some((p) => Number(p.slice(1)) >= 3),
    `panes: ${panes.join(' ')}`,
  );
  assert.deepEqual(
    panes.filter((p) => !first.screens.has(p)),
    [],
  );
  const known = new Map([...first.tails].map(([k, v]) => [k, v.size]));
  const again = (await listWindowsWithScreens(r, LIST_FORMAT, { known }))!;
  assert.equal(again.tails.get('cf/events.jsonl')?.text, null);
  // A worker may rewrite its own @looop_id: one that is not a plain name is not followed out of sessions/.
  const secret = join(r.tails!.dir, '..', 'events.jsonl');
  spawnSync('sh', ['-c', `printf '{"ts":1,"src":"claude","ev":"Stop"}\\n' > ${shellQuote(secret)}`]);
  const sock = sshd.remoteSockets()[0]!;
  const tmux = (...a: string[]) => spawnSync('tmux', ['-S', sock, ...a], { env: cleanEnv(), encoding: 'utf8' });
  const win = first.list
    .split('\n')
    .map((l) => l.split('\t'))
    .find((f) => f[3] === 'cf')![1]!;
  tmux('set-option', '-w', '-t', win, '@looop_id', '..');
  try {
    const bad = (await listWindowsWithScreens(r, LIST_FORMAT))!;
    assert.equal(
      [...bad.tails.keys()].some((k) => !/^(ce|cf|pf)\//.test(k)),
      false,
    );
  } finally {
    tmux('set-option', '-w', '-t', win, '@looop_id', 'cf');
  }
});

it('a message sent while the remote claude is still starting waits for its tty there, and reaches the model', T, async () => {
  e.api.queue({ text: 'First far reply.' }, { text: 'Second far reply.' });
  const started = await e.p.runAsync(['start-session', 'ce', 'Say hello.', 'far', '--host', 'loop1'], { env });
  assert.equal(started.code, 0, started.stderr);
  const sent = await e.p.runAsync(['send', 'ce', 'early far message while drawing', '--json'], { env });
  assert.equal(sent.code, 0, sent.stdout + sent.stderr);
  const got = await e.p.runAsync(['expect', 'ce', 'Second far reply', '--timeout', '45'], { env });
  assert.equal(got.code, 0, `the model never got the early message; screen:\n${(await e.p.runAsync(['shot', 'ce'], { env })).stdout}`);
  assert.ok(e.api.turns().some((t) => JSON.stringify(t.body.messages).includes('early far message while drawing')));
});
