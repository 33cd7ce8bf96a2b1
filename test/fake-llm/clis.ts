// Pointing the real claude and pi CLIs at the fake API: env, and config seeded into a temp HOME /
// agent dir (never the user's own). Every other host is routed to the fake server as an HTTP(S)
// proxy, which refuses and records it, so a test cannot reach the network even by accident.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FakeApi } from './server.ts';
import { shellQuote } from '../../src/runners.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
export const CLI_BIN_DIR = join(ROOT, 'node_modules', '.bin');

// Test keys: never real, but shaped like one so the CLIs accept them.
export const FAKE_KEY = 'sk-ant-api03-looop-fake-key-for-tests-0000';

/** The pinned CLI's executable, or null when `npm ci` did not install it. */
export function cliPath(name: 'claude' | 'pi'): string | null {
  const p = join(CLI_BIN_DIR, name);
  return existsSync(p) ? p : null;
}

const runs = new Map<string, string | false>();

/** Why a CLI test must be skipped, or false when the binary runs: a file that is there but cannot start (an npm that skipped install scripts leaves a stub) is a skip with its reason, not ten failures. */
export function missing(name: 'claude' | 'pi'): string | false {
  const path = cliPath(name);
  if (!path) return `${name} is not installed in node_modules/.bin (run npm ci)`;
  if (!runs.has(name)) {
    // A throwaway HOME: the real ~/.claude is never touched.
    const home = mkdtempSync(join(tmpdir(), 'looop-cli-version-'));
    const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, HOME: home } });
    rmSync(home, { recursive: true, force: true });
    runs.set(name, r.status === 0 ? false : `${name} --version failed (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr || r.stdout || '').trim().split('\n')[0] ?? ''}`);
  }
  return runs.get(name)!;
}

/** Env that sends everything but the fake API to the fake API's proxy refusal. */
export function noNetworkEnv(api: FakeApi): Record<string, string> {
  return {
    HTTPS_PROXY: api.url,
    HTTP_PROXY: api.url,
    https_proxy: api.url,
    http_proxy: api.url,
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
  };
}

/** claude: the fake API as its endpoint, everything non-essential off, no retries (fast failures). */
export function claudeEnv(api: FakeApi): Record<string, string> {
  return {
    ...noNetworkEnv(api),
    ANTHROPIC_BASE_URL: api.url,
    ANTHROPIC_API_KEY: FAKE_KEY,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_INSTALLATION_CHECKS: '1',
    CLAUDE_CODE_MAX_RETRIES: '0',
  };
}

/**
 * A temp HOME where claude has been set up already: onboarding done, `dirs` trusted, the env key
 * approved, bypass mode accepted — the state a real user's HOME is in after their first run.
 * Without it, interactive claude stops on its first-run dialogs (which detectBlocker must flag).
 */
export function seedClaudeHome(home: string, dirs: string[]): void {
  mkdirSync(join(home, '.claude'), { recursive: true });
  const projects = Object.fromEntries(dirs.map((d) => [d, { hasTrustDialogAccepted: true, projectOnboardingSeenCount: 1 }]));
  writeFileSync(
    join(home, '.claude.json'),
    JSON.stringify({
      hasCompletedOnboarding: true,
      lastOnboardingVersion: '2.1.197',
      lastReleaseNotesSeen: '2.1.197',
      customApiKeyResponses: { approved: [FAKE_KEY.slice(-20)], rejected: [] },
      projects,
    }, null, 2),
  );
  writeFileSync(join(home, '.claude', 'settings.json'), JSON.stringify({ theme: 'dark', skipDangerousModePermissionPrompt: true }, null, 2));
}

/** pi: its agent dir (models.json + settings.json, see seedPiAgentDir) and offline mode. */
export function piEnv(api: FakeApi, agentDir: string): Record<string, string> {
  return { ...noNetworkEnv(api), PI_CODING_AGENT_DIR: agentDir, PI_OFFLINE: '1', PI_SKIP_VERSION_CHECK: '1', PI_TELEMETRY: '0' };
}

// Prices per million tokens, so pi reports a non-zero cost the tests can compare with the ledger.
export const PI_PRICES = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };

/** Writes a provider "fake" (Anthropic Messages API at the fake server) as pi's default model. */
export function seedPiAgentDir(agentDir: string, api: FakeApi): void {
  mkdirSync(agentDir, { recursive: true });
  writeFileSync(
    join(agentDir, 'models.json'),
    JSON.stringify({
      providers: {
        fake: {
          baseUrl: api.url,
          api: 'anthropic-messages',
          apiKey: FAKE_KEY,
          models: [{ id: 'fake-model', name: 'Fake Model', contextWindow: 200000, maxTokens: 8192, cost: PI_PRICES }],
        },
      },
    }, null, 2),
  );
  writeFileSync(
    join(agentDir, 'settings.json'),
    JSON.stringify({
      defaultProvider: 'fake',
      defaultModel: 'fake-model',
      quietStartup: true,
      enableInstallTelemetry: false,
      // A scripted 500 should fail at once, not after pi's own retry schedule.
      retry: { enabled: false, provider: { maxRetries: 0 } },
    }, null, 2),
  );
}

/** `A=1 B=2 ` — env assignments to put in front of a runner template (workers get a clean env). */
export function envPrefix(env: Record<string, string>): string {
  return Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)} `).join('');
}
