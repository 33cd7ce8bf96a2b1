// Issue 6: looop with the real `pi` (pinned @mariozechner/pi-coding-agent) against the fake API.
import { tickSuite } from './tick-suite.ts';
import { workerSuite } from './worker-suite.ts';

// pi's write tool resolves a relative path against its cwd, the data dir.
const write = (_dataDir: string, content: string) => ({ name: 'write', input: { path: '.decision.json', content } });
const bash = (command: string) => ({ name: 'bash', input: { command } });

tickSuite('pi', write, /pi's last assistant message stopped with "error".*500/);
workerSuite('pi', write, bash);
