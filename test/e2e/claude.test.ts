// Issue 6: looop with the real `claude` (pinned @anthropic-ai/claude-code) against the fake API.
import { join } from 'node:path';
import { tickSuite } from './tick-suite.ts';

// claude's Write tool takes an absolute path.
tickSuite('claude', (dataDir, content) => ({ name: 'Write', input: { file_path: join(dataDir, '.decision.json'), content } }), /claude reported an error.*API Error: 500/);
