// Issue 6: looop with the real `pi` (pinned @mariozechner/pi-coding-agent) against the fake API.
import { tickSuite } from './tick-suite.ts';

// pi's write tool resolves a relative path against its cwd, the data dir.
tickSuite('pi', (_dataDir, content) => ({ name: 'write', input: { path: '.decision.json', content } }), /pi's last assistant message stopped with "error".*500/);
