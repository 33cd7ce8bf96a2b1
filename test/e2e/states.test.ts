// Worker states with the real claude and pi (pinned) against the fake API.
import { join } from 'node:path';
import { statesSuite } from './states-suite.ts';

statesSuite('claude', (dataDir, content) => ({ name: 'Write', input: { file_path: join(dataDir, '.decision.json'), content } }), (command) => ({ name: 'Bash', input: { command, description: 'Run it' } }));
statesSuite('pi', (_dataDir, content) => ({ name: 'write', input: { path: '.decision.json', content } }), (command) => ({ name: 'bash', input: { command } }));
