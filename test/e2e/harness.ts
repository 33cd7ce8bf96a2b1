// End-to-end with the real agent CLIs: a looop profile whose runner is the pinned claude or pi,
// talking to the fake API (test/fake-llm). Only the model is fake; the CLI, its tools, looop,
// tmux and the files are real.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_RUNNERS, type RunnerSpec } from '../../src/runners.ts';
import { makeProfile, type Profile, type RunResult } from '../helpers/profile.ts';
import { startFakeApi, type FakeApi } from '../fake-llm/server.ts';
import { CLI_BIN_DIR, claudeEnv, envPrefix, piEnv, seedClaudeHome, seedPiAgentDir } from '../fake-llm/clis.ts';

export type Cli = 'claude' | 'pi';

export interface E2E {
  cli: Cli;
  p: Profile;
  api: FakeApi;
  /** Env every looop call gets: the CLI on PATH, pointed at the fake API, network trapped. */
  env: Record<string, string>;
  /** Runs `looop tick` (async: the fake API answers from this process). */
  tick(extra?: Record<string, string>): Promise<RunResult>;
  /** Raw NDJSON the CLI printed in the n-th runner call (1-based), as teed before `_fmt`. */
  raw(n: number): Array<Record<string, any>>;
  close(): Promise<void>;
}

// The built-in tick template with a tee before `_fmt`, so a test can compare looop's ledger with
// what the CLI itself reported. Everything else (flags, stdin, pipefail, _fmt) is the real thing.
// Workers start with a clean env plus what looop passes by name (credentials, proxies, PI_*):
// `workerEnv` puts anything else in front of the built-in interactive template.
function teed(cli: Cli, workerEnv: Record<string, string>): RunnerSpec {
  const spec = BUILTIN_RUNNERS[cli]!;
  return { ...spec, interactive: envPrefix(workerEnv) + spec.interactive, tick: spec.tick.replace(/\| "\$LOOOP_BIN" _fmt$/, '| tee "$E2E_RAW_DIR/$(date +%s%N).ndjson" | "$LOOOP_BIN" _fmt') };
}

/**
 * `home`: "ready" = the CLI set up as after a user's first run, the data dir trusted; "untrusted" =
 * claude set up but never run in the data dir; "fresh" = nothing at all (claude then gets a bearer
 * token instead of an API key, which skips its online connectivity check; pi gets no agent dir).
 */
export async function e2eProfile(cli: Cli, config: Record<string, unknown> = {}, opts: { home?: 'ready' | 'untrusted' | 'fresh' } = {}): Promise<E2E> {
  const api = await startFakeApi();
  const p = makeProfile(`looop-e2e-${cli}`);
  const rawDir = join(p.root, 'raw');
  const agentDir = join(p.home, '.pi', 'agent');
  const home = opts.home ?? 'ready';
  const env: Record<string, string> = {
    PATH: `${CLI_BIN_DIR}:${process.env.PATH}`,
    E2E_RAW_DIR: rawDir,
    ...(cli === 'claude' ? claudeEnv(api) : piEnv(api, agentDir)),
  };
  // looop passes credentials, proxies and PI_* to windows by name; claude's quiet switches
  // (CLAUDE_CODE_*, DISABLE_*) are not, so they go in front of the interactive template.
  const workerEnv = Object.fromEntries(Object.entries(env).filter(([k]) => /^(CLAUDE_CODE_|DISABLE_)/.test(k)));
  if (cli === 'claude' && home !== 'fresh') seedClaudeHome(p.home, home === 'ready' ? [p.dataDir] : []);
  if (cli === 'pi' && home !== 'fresh') seedPiAgentDir(agentDir, api);
  if (home === 'fresh' && cli === 'claude') {
    env.ANTHROPIC_AUTH_TOKEN = env.ANTHROPIC_API_KEY!;
    delete env.ANTHROPIC_API_KEY;
  }
  if (home === 'fresh' && cli === 'pi') delete env.PI_CODING_AGENT_DIR;
  p.writeConfig({ default: cli, runners: { [cli]: teed(cli, workerEnv) }, ...config });
  const seeded = p.run(['tick', '--dry-run'], { env });
  if (seeded.code !== 0) throw new Error(`seeding the profile failed: ${seeded.stderr}`);
  // A fixed date sensor: the only things that wake the loop are the tests' own moves.
  p.writeFile('sensors/today.sh', '#!/bin/sh\necho \'{"signal":{"day":"fixed"}}\'\n', 0o755);
  mkdirSync(rawDir, { recursive: true });
  let ticks = 0;
  return {
    cli,
    p,
    api,
    env,
    async tick(extra = {}) {
      ticks++;
      return p.runAsync(['tick'], { env: { ...env, ...extra } });
    },
    raw(n) {
      const files = readdirSync(rawDir).sort();
      if (!files[n - 1]) throw new Error(`no raw stream for decided tick ${n} (${files.length} recorded; ticks run: ${ticks})`);
      return readFileSync(join(rawDir, files[n - 1]!), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    },
    async close() {
      try {
        p.cleanup();
      } catch {
        // A CLI killed with the tmux server may still be writing its HOME state: retry the removal, and
        // never fail a test over a temp folder left behind.
        try {
          rmSync(p.root, { recursive: true, force: true, maxRetries: 50, retryDelay: 100 });
        } catch {
          // left in the temp dir
        }
      } finally {
        // Always: a fake API left listening keeps the test process alive forever.
        await api.close();
      }
    },
  };
}

/** What the CLI said the run cost: claude's final result.total_cost_usd, else pi's summed message_end costs. */
export function reportedCost(events: Array<Record<string, any>>): number {
  const result = events.filter((e) => e.type === 'result').at(-1);
  if (result) return result.total_cost_usd;
  return events
    .filter((e) => e.type === 'message_end' && e.message?.role === 'assistant')
    .reduce((sum, e) => sum + (e.message.usage?.cost?.total ?? 0), 0);
}

export function ledger(p: Profile): Array<Record<string, any>> {
  const path = join(p.dataDir, 'cost.jsonl');
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
}

export function journal(p: Profile): string[] {
  const path = join(p.dataDir, 'journal.md');
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : [];
}

/** The files a failed beat must leave alone (policy, goals, sensors, journal, ledger). */
export function tracked(p: Profile): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    const abs = join(p.dataDir, rel);
    if (!existsSync(abs)) return;
    for (const name of readdirSync(abs, { withFileTypes: true })) {
      const r = rel ? `${rel}/${name.name}` : name.name;
      if (name.isDirectory()) walk(r);
      else out[r] = readFileSync(join(abs, name.name), 'utf8');
    }
  };
  for (const f of ['PLAYBOOK.md', 'journal.md', 'cost.jsonl']) if (existsSync(join(p.dataDir, f))) out[f] = readFileSync(join(p.dataDir, f), 'utf8');
  walk('goals');
  walk('sensors');
  return out;
}
