// Re-records test/fixtures/{claude,pi}-*.ndjson (the streams `looop _fmt` reads) and
// test/fixtures/screens/*.txt (the dialogs detectBlocker knows) from the pinned CLIs, driven by
// the fake API. Run it after bumping a CLI, isolated from the network:
//   unshare -n sh -c 'ip link set lo up && node --import tsx scripts/capture-fixtures.ts'
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BUILTIN_RUNNERS } from '../src/runners.ts';
import { startFakeApi, type Reply } from '../test/fake-llm/server.ts';
import { CLI_BIN_DIR, claudeEnv, FAKE_KEY, piEnv, seedClaudeHome, seedPiAgentDir } from '../test/fake-llm/clis.ts';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'test', 'fixtures');
const BASE = '/tmp/looop-fixture'; // fixed, so recorded paths are the same on every re-record
const DATA = join(BASE, 'data');
const PROMPT = 'You are the decider of looop (fixture run). Write your decision to .decision.json.\n';
const DECISION = { action: 'write_goal', id: 'hello', body: '# Hello\n\nSay hello.\n', journal: 'fixture: wrote goal hello' };

// A server left by an interrupted run (its own socket, nothing else) would refuse our session.
spawnSync('tmux', ['-S', join(BASE, 'tmux.sock'), 'kill-server'], { stdio: 'ignore' });
fresh(BASE);
const api = await startFakeApi();
const baseEnv = (home: string) => ({ PATH: `${CLI_BIN_DIR}:${process.env.PATH}`, HOME: home, LANG: 'C.UTF-8', TERM: 'xterm-256color' });
const headless = (runner: 'claude' | 'pi') => BUILTIN_RUNNERS[runner]!.tick.replace(/\s*\|\s*"\$LOOOP_BIN" _fmt\s*$/, '');

function fresh(dir: string): string {
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }); // a dying CLI may still write
  mkdirSync(dir, { recursive: true });
  return dir;
}

// Async on purpose: the fake API answers from this same process.
function run(command: string, env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawn('bash', ['-c', command], { cwd: DATA, env });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end(PROMPT);
    child.on('close', (status) => {
      clearTimeout(timer);
      res({ status, stdout, stderr });
    });
  });
}

async function record(name: string, command: string, env: Record<string, string>, replies: Reply[], check: (decision: string | null) => void): Promise<void> {
  fresh(DATA);
  api.reset();
  api.queue(...replies);
  const r = await run(command, env);
  const decisionPath = join(DATA, '.decision.json');
  const decision = existsSync(decisionPath) ? readFileSync(decisionPath, 'utf8') : null;
  writeFileSync(join(OUT, `${name}.ndjson`), r.stdout);
  console.log(`${name}: exit ${r.status}, ${r.stdout.split('\n').filter(Boolean).length} events, decision ${decision ? 'written' : 'none'}${r.stderr.trim() ? `, stderr: ${r.stderr.trim().slice(0, 200)}` : ''}`);
  check(decision);
  if (api.escapes().length) throw new Error(`${name}: tried to reach ${api.escapes().map((e) => e.path).join(', ')}`);
}

function expectDecision(d: string | null): void {
  if (!d || JSON.parse(d).action !== 'write_goal') throw new Error(`expected the write_goal decision, got ${d}`);
}
function expectNone(d: string | null): void {
  if (d) throw new Error(`expected no decision, got ${d}`);
}

// --- headless streams -------------------------------------------------------------------------
mkdirSync(join(OUT, 'screens'), { recursive: true });
const claudeHome = fresh(join(BASE, 'claude-home'));
const cEnv = { ...baseEnv(claudeHome), ...claudeEnv(api) };
const claudeTools: Reply[] = [
  { text: 'Checking the data dir first.', tools: [{ name: 'Bash', input: { command: 'ls goals | head -5', description: 'List goals' } }] },
  { tools: [{ name: 'Write', input: { file_path: join(DATA, '.decision.json'), content: JSON.stringify(DECISION) } }] },
  { text: 'Decision written.' },
];
await record('claude-text', headless('claude'), cEnv, [{ text: 'Hello from the fake model.' }], expectNone);
await record('claude-write-decision', headless('claude'), cEnv, claudeTools, expectDecision);
await record('claude-api-500', headless('claude'), cEnv, [{ status: 500, sticky: true }], expectNone);
// The known trap: without --dangerously-skip-permissions the write is denied, yet the
// run "succeeds" and lists the denial in result.permission_denials.
await record('claude-permission-denied', headless('claude').replace(' --dangerously-skip-permissions', ''), cEnv, claudeTools, expectNone);

const piDir = fresh(join(BASE, 'pi-agent'));
seedPiAgentDir(piDir, api);
const pEnv = { ...baseEnv(fresh(join(BASE, 'pi-home'))), ...piEnv(api, piDir) };
const piTools: Reply[] = [
  { text: 'Checking the data dir first.', tools: [{ name: 'bash', input: { command: 'ls goals | head -5' } }] },
  { tools: [{ name: 'write', input: { path: '.decision.json', content: JSON.stringify(DECISION) } }] },
  { text: 'Decision written.' },
];
await record('pi-text', headless('pi'), pEnv, [{ text: 'Hello from the fake model.' }], expectNone);
await record('pi-write-decision', headless('pi'), pEnv, piTools, expectDecision);
await record('pi-api-500', headless('pi'), pEnv, [{ status: 500, sticky: true }], expectNone);

// --- screens ----------------------------------------------------------------------------------
const sock = join(BASE, 'tmux.sock');
const tmux = (...args: string[]) => execFileSync('tmux', ['-u', '-S', sock, '-f', '/dev/null', ...args], { encoding: 'utf8', env: baseEnv(BASE) });
tmux('new-session', '-d', '-s', 'fx', '-x', '120', '-y', '40', 'sleep 600');
// Whatever happens below, the CLIs in this server end with it.
process.on('exit', () => spawnSync('tmux', ['-S', sock, 'kill-server'], { stdio: 'ignore' }));

type Step = { keys?: string[]; until: RegExp; save?: string };
async function screen(name: string, command: string, env: Record<string, string>, steps: Step[], opts: { replies?: Reply[]; allowEscapes?: boolean } = {}): Promise<void> {
  api.reset();
  api.queue(...(opts.replies ?? []));
  fresh(DATA);
  const assigns = Object.entries(env).map(([k, v]) => `${k}='${v.replace(/'/g, `'\\''`)}'`).join(' ');
  tmux('new-window', '-d', '-t', 'fx', '-n', name, '-c', DATA, `env -i ${assigns} ${command}; sleep 600`);
  for (const step of steps) {
    if (step.keys) tmux('send-keys', '-t', `fx:${name}`, ...step.keys);
    let text = '';
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 250));
      text = tmux('capture-pane', '-p', '-t', `fx:${name}`);
      if (step.until.test(text)) break;
    }
    if (!step.until.test(text)) throw new Error(`${name}: screen never matched ${step.until}:\n${text}`);
    await new Promise((r) => setTimeout(r, 500)); // let the frame finish drawing
    text = tmux('capture-pane', '-p', '-t', `fx:${name}`);
    if (step.save) writeFileSync(join(OUT, 'screens', `${step.save}.txt`), text.replace(/\s+$/, '') + '\n');
    console.log(`screen ${step.save ?? '(step)'}: ok`);
  }
  tmux('kill-window', '-t', `fx:${name}`);
  if (!opts.allowEscapes && api.escapes().length) throw new Error(`${name}: tried to reach ${api.escapes().map((e) => e.path).join(', ')}`);
}

const claudeInteractive = (prompt: string) => `IS_SANDBOX=1 claude --dangerously-skip-permissions '${prompt}'`;
// A fresh HOME that uses a bearer token: no connectivity preflight, so the dialogs show offline.
const tokenEnv = (home: string) => {
  const { ANTHROPIC_API_KEY: _key, ...rest } = claudeEnv(api);
  return { ...baseEnv(home), ...rest, ANTHROPIC_AUTH_TOKEN: FAKE_KEY };
};
const hello = { replies: [{ text: 'Hello from the fake model.' }] };
await screen('claude-onboarding', claudeInteractive('say hi'), tokenEnv(fresh(join(BASE, 'h-fresh'))), [
  { until: /Choose the text style/, save: 'claude-theme' },
  { keys: ['Enter'], until: /Security notes:/, save: 'claude-security-notes' },
  { keys: ['Enter'], until: /Yes, I trust this folder/, save: 'claude-trust' },
  { keys: ['Enter'], until: /Yes, I accept/, save: 'claude-bypass-permissions' },
  { keys: ['Down'], until: /❯ 2\. Yes, I accept/ }, // one key per step: a TUI may read Down+Enter as one sequence
  { keys: ['Enter'], until: /Hello from the fake model\./, save: 'claude-ready' },
], hello);
// A fresh HOME with ANTHROPIC_API_KEY runs claude's connectivity check first: offline it ends there.
await screen('claude-offline', claudeInteractive('say hi'), { ...baseEnv(fresh(join(BASE, 'h-key'))), ...claudeEnv(api) }, [
  { until: /Unable to connect to Anthropic services/, save: 'claude-offline-first-start' },
], { allowEscapes: true }); // its refused CONNECTs are the point of this screen
const keyHome = fresh(join(BASE, 'h-unapproved'));
seedClaudeHome(keyHome, [DATA]);
const cfg = JSON.parse(readFileSync(join(keyHome, '.claude.json'), 'utf8'));
delete cfg.customApiKeyResponses;
writeFileSync(join(keyHome, '.claude.json'), JSON.stringify(cfg));
await screen('claude-api-key', claudeInteractive('say hi'), { ...baseEnv(keyHome), ...claudeEnv(api) }, [
  { until: /Do you want to use this API key\?/, save: 'claude-api-key' },
]);
// Without --dangerously-skip-permissions a tool call waits for an answer on the screen.
const askHome = fresh(join(BASE, 'h-ask'));
seedClaudeHome(askHome, [DATA]);
await screen('claude-ask', `claude 'write the report'`, { ...baseEnv(askHome), ...claudeEnv(api) }, [
  { until: /Do you want to proceed\?/, save: 'claude-permission-prompt' },
], { replies: [{ text: 'Writing the report.', tools: [{ name: 'Bash', input: { command: 'echo hi > reports-fixture.md', description: 'Write a report' } }] }] });
const noPi = fresh(join(BASE, 'pi-empty'));
await screen('pi-no-model', `pi 'say hi'`, { ...baseEnv(fresh(join(BASE, 'pi-home2'))), ...piEnv(api, noPi) }, [
  { until: /No API key found|No models available/, save: 'pi-no-model' },
]);
await screen('pi-ready', `pi 'say hi'`, pEnv, [{ until: /Hello from the fake model\./, save: 'pi-ready' }], hello);

await api.close();
console.log(`fixtures written to ${OUT}`);
