// Issue 6: looop with the real `claude` (pinned @anthropic-ai/claude-code) against the fake API.
import { join } from 'node:path';
import { tickSuite } from './tick-suite.ts';
import { workerSuite } from './worker-suite.ts';

// claude's Write tool takes an absolute path.
const write = (dataDir: string, content: string) => ({ name: 'Write', input: { file_path: join(dataDir, '.decision.json'), content } });
const bash = (command: string) => ({ name: 'Bash', input: { command, description: 'Flag the human' } });

tickSuite('claude', write, /claude reported an error.*API Error: 500/);
workerSuite('claude', write, bash);
