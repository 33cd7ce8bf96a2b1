// Issue 6: looop with the real `claude` (pinned @anthropic-ai/claude-code) against the fake API.
import { join } from 'node:path';
import { tickSuite } from './tick-suite.ts';
import { workerSuite } from './worker-suite.ts';
import { claudeEnv } from '../fake-llm/clis.ts';
import type { FakeApi } from '../fake-llm/server.ts';

// claude's Write tool takes an absolute path.
const write = (dataDir: string, content: string) => ({ name: 'Write', input: { file_path: join(dataDir, '.decision.json'), content } });
const bash = (command: string) => ({ name: 'Bash', input: { command, description: 'Flag the human' } });

tickSuite('claude', write, /claude reported an error.*API Error: 500/);

// looop passes ANTHROPIC_* and the proxies to windows by itself; the switches that keep claude
// quiet (CLAUDE_CODE_*, DISABLE_*) go in front of the interactive template.
const quiet = Object.fromEntries(Object.entries(claudeEnv({ url: 'http://127.0.0.1:9' } as FakeApi)).filter(([k]) => /^(CLAUDE_CODE_|DISABLE_)/.test(k)));
workerSuite('claude', write, bash, quiet);
