// deriveState: which state each source gives, and which source wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveState, parseEvents, type StateRow, type WorkerEvent } from '../../src/fleet/state.ts';
import type { WorkerRecord } from '../../src/fleet/record.ts';
import { lostWorkers } from '../../src/fleet/record.ts';
import { claudeSettings, hookCommand } from '../../src/fleet/hooks.ts';
import { unbooked } from '../../src/cost/worker-spend.ts';
import { fleetChanges, snapshot, wakes } from '../../src/pulse/fleet-changes.ts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NOW = 1_700_000_000;
const clock = { now: NOW, stuckS: 900, quietS: 3 };
const row = (o: Partial<StateRow> = {}): StateRow => ({ id: 'w1', state: 'running', flag: null, flagBy: '', idle_s: 0, age_s: 100, startedAt: NOW - 100, runner: 'claude', ...o });
const rec = (cli: WorkerRecord['cli'], o: Partial<WorkerRecord> = {}): WorkerRecord => ({ id: 'w1', runner: cli, cli, command: cli, cwd: '/', prompt_file: '/p', started_at: NOW - 100, live: true, ...o });
const ev = (ev: string, ago: number, o: Partial<WorkerEvent> = {}): WorkerEvent => ({ ts: NOW - ago, src: 'claude', ev, ...o });
const PERMISSION = 'Bash command\n  rm -rf build\nDo you want to proceed?\n❯ 1. Yes\n  2. No, and tell Claude what to do differently (esc)\n';

test('claude hooks: starting → working → waiting, each from the hooks', () => {
  assert.deepEqual([deriveState(row({ age_s: 2 }), [], { text: '' }, rec('claude'), clock)].map((p) => [p.state, p.source]), [['starting', 'hooks']]);
  const working = deriveState(row(), [ev('SessionStart', 50), ev('UserPromptSubmit', 40), ev('PreToolUse', 10, { tool: 'Bash', command: 'make' })], { text: '' }, rec('claude'), clock);
  assert.deepEqual([working.state, working.source, working.since], ['working', 'hooks', NOW - 10]);
  const waiting = deriveState(row({ idle_s: 1 }), [ev('UserPromptSubmit', 40), ev('Stop', 5, { said: 'All done: 42.' })], { text: 'spinner' }, rec('claude'), clock);
  assert.deepEqual([waiting.state, waiting.source, waiting.said], ['waiting', 'hooks', 'All done: 42.']);
});

test('claude asking: the note quotes the command; answered (the prompt gone) → the screen decides', () => {
  const events = [ev('UserPromptSubmit', 40), ev('PreToolUse', 10, { tool: 'Bash', command: 'rm -rf build' }), ev('Notification', 9, { kind: 'permission_prompt', message: 'Claude needs your permission to use Bash' })];
  const asking = deriveState(row({ idle_s: 5 }), events, { text: PERMISSION }, rec('claude'), clock);
  assert.equal(asking.state, 'asking');
  assert.equal(asking.source, 'hooks');
  assert.match(asking.ask!, /Bash: rm -rf build/);
  const denied = deriveState(row({ idle_s: 5 }), events, { text: '> \n' }, rec('claude'), clock);
  assert.deepEqual([denied.state, denied.source], ['waiting', 'screen']);
  const after = deriveState(row(), [...events, ev('PostToolUse', 2)], { text: '' }, rec('claude'), clock);
  assert.deepEqual([after.state, after.source], ['working', 'hooks']);
});

test('stuck: working with no event and no output for stuck_after', () => {
  const p = deriveState(row({ idle_s: 1000, age_s: 2000, startedAt: NOW - 2000 }), [ev('PreToolUse', 1000)], { text: '' }, rec('claude'), clock);
  assert.equal(p.state, 'stuck');
});

test('a worker flag wins over events; tmux exit and kill win over everything', () => {
  assert.deepEqual([deriveState(row({ flag: 'which branch?' }), [ev('Stop', 1)], null, rec('claude'), clock)].map((p) => [p.state, p.source]), [['flagged', 'flag']]);
  assert.equal(deriveState(row({ state: 'exited' }), [ev('Stop', 1)], null, rec('claude'), clock).state, 'exited');
  assert.equal(deriveState(row({ state: 'killed' }), [], null, rec('claude'), clock).state, 'killed');
});

test('pi extension events; a first-run dialog on screen is asking even with events', () => {
  const pi = (e: string, ago: number) => ({ ...ev(e, ago), src: 'pi' as const });
  assert.deepEqual([deriveState(row({ runner: 'pi' }), [pi('agent_start', 5)], { text: '' }, rec('pi'), clock)].map((p) => [p.state, p.source]), [['working', 'extension']]);
  assert.equal(deriveState(row({ runner: 'pi' }), [pi('agent_start', 5), pi('agent_end', 1)], { text: '' }, rec('pi'), clock).state, 'waiting');
  const trust = 'Accessing workspace:\n/tmp/x\n❯ 1. Yes, I trust this folder\n';
  const p = deriveState(row({ age_s: 5 }), [], { text: trust }, rec('claude'), clock);
  assert.deepEqual([p.state, p.source], ['asking', 'screen']);
});

test('any other CLI: the screen rules (quiet at a prompt → waiting; output → working)', () => {
  const r = (idle: number) => row({ runner: 'bash', idle_s: idle });
  assert.deepEqual([deriveState(r(10), [], { text: 'done\nuser@host:~$ ' }, rec('other'), clock)].map((p) => [p.state, p.source]), [['waiting', 'screen']]);
  assert.equal(deriveState(r(1), [], { text: 'building...' }, rec('other'), clock).state, 'working');
  assert.equal(deriveState(r(10), [], { text: 'compiling 3/9' }, rec('other'), clock).state, 'working');
  assert.equal(deriveState(r(1000), [], { text: 'compiling 3/9' }, rec('other'), clock).state, 'stuck');
  // no record (started by an older looop): the screen, never a guess
  assert.equal(deriveState(r(10), [], { text: '$ ' }, null, clock).source, 'screen');
});

test('lost: a live record without a window; an ended record is not lost', () => {
  assert.deepEqual([deriveState(null, [], null, rec('claude'), clock)].map((p) => [p.state, p.source]), [['lost', 'record']]);
  assert.equal(deriveState(null, [], null, rec('claude', { live: false }), clock).state, 'exited');
  assert.deepEqual(lostWorkers([rec('claude'), rec('pi', { id: 'w2' }), rec('pi', { id: 'w3', live: false })], [{ id: 'w1' }]).map((r) => r.id), ['w2']);
});

test('event lines: claude hook payloads, pi lines, and a line cut short still give name and time', () => {
  const text = [
    JSON.stringify({ ts: NOW, src: 'claude', ev: 'PreToolUse', e: { tool_name: 'Bash', tool_input: { command: 'ls -la' } } }),
    JSON.stringify({ ts: NOW, src: 'pi', ev: 'agent_end', said: 'hi' }),
    `{"ts":${NOW},"src":"claude","ev":"Stop","e":{"last_assistant_message":"cut sh`,
    'garbage',
  ].join('\n');
  assert.deepEqual(parseEvents(text).map((e) => [e.ev, e.tool ?? e.said ?? null, e.command ?? null]), [['PreToolUse', 'Bash', 'ls -la'], ['agent_end', 'hi', null], ['Stop', null, null]]);
});

test('the hook command appends one parseable line with a plain shell', () => {
  const dir = mkdtempSync(join(tmpdir(), 'looop-hook-'));
  try {
    const file = join(dir, "it's events.jsonl");
    execFileSync('sh', ['-c', hookCommand('PreToolUse', file)], { input: JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'echo "hi"' } }) });
    execFileSync('sh', ['-c', hookCommand('PostToolUse', file)], { input: '{"tool_response":"x"}' });
    const events = parseEvents(readFileSync(file, 'utf8'));
    assert.deepEqual(events.map((e) => [e.ev, e.command ?? null]), [['PreToolUse', 'echo "hi"'], ['PostToolUse', null]]);
    assert.ok(Math.abs(events[0]!.ts - Date.now() / 1000) < 60);
    const s = claudeSettings(file, join(dir, 'status.json')) as any;
    assert.deepEqual(Object.keys(s.hooks), ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Notification', 'Stop', 'SessionEnd']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('spend: only what was not booked for this session; wakes for the transitions the decider must see', () => {
  assert.equal(unbooked(0.5, 's1', null), 0.5);
  assert.equal(unbooked(0.5, 's1', { session: 's1', usd: 0.2 }), 0.3);
  assert.equal(unbooked(0.1, 's2', { session: 's1', usd: 0.2 }), 0.1);
  assert.equal(unbooked(0.2, 's1', { session: 's1', usd: 0.2 }), 0);
  assert.deepEqual([wakes('working', 'waiting'), wakes('working', 'asking'), wakes('working', 'exited'), wakes('waiting', 'lost'), wakes('starting', 'working'), wakes('starting', 'waiting')], [true, true, true, true, false, false]);
  const w = (state: any) => ({ id: 'w1', state, source: 'hooks' as const, alive: true, exit_code: null, flag: null, age_s: 1, idle_s: 1, pid: 1 });
  const ch = fleetChanges(snapshot([w('working')]), snapshot([w('waiting')]));
  assert.deepEqual(ch, [{ event: 'worker_state', id: 'w1', from: 'working', to: 'waiting', source: 'hooks', wake: true }]);
});

test('the agent CLI is read past VAR=value assignments in front of the program', async () => {
  const { agentCliOf } = await import('../../src/fleet/record.ts');
  assert.equal(agentCliOf('ask', "CLAUDE_CODE_X='1' IS_SANDBOX=1 claude --settings s"), 'claude');
  assert.equal(agentCliOf('mine', 'PI_X=1 /usr/bin/pi -e x'), 'pi');
  assert.equal(agentCliOf('sh', 'bash -i'), 'other');
});

test('after SessionStart: starting while output moves, waiting once quiet; a permission prompt before its Notification names the command', () => {
  assert.equal(deriveState(row({ idle_s: 0 }), [ev('SessionStart', 1)], { text: '' }, rec('claude'), clock).state, 'starting');
  assert.equal(deriveState(row({ idle_s: 5 }), [ev('SessionStart', 5)], { text: '' }, rec('claude'), clock).state, 'waiting');
  const p = deriveState(row({ idle_s: 1 }), [ev('UserPromptSubmit', 5), ev('PreToolUse', 2, { tool: 'Bash', command: 'touch x' })], { text: PERMISSION }, rec('claude'), clock);
  assert.deepEqual([p.state, p.source], ['asking', 'screen']);
  assert.match(p.ask!, /Bash: touch x/);
});
