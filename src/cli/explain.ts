// `looop explain <id> [--json]`: why a worker is in its state (which source decided, its last events).
import { context } from '../context.ts';
import { explainJson, explainText, explainWorker } from '../fleet/explain.ts';
import type { Command } from './define.ts';
import { handle } from './define.ts';

async function explain(a: { id: string; json?: boolean }): Promise<number> {
  const seen = await explainWorker(context(), a.id);
  process.stdout.write(a.json ? JSON.stringify(explainJson(seen)) + '\n' : explainText(seen));
  return 0;
}

export const explainCommands: Command[] = [
  {
    command: 'explain <id>',
    describe: "why a worker is in its state: the source that decided it (hooks, extension, screen, tmux, flag, record) and its last events",
    builder: (y) => y.positional('id', { type: 'string', demandOption: true }).option('json', { type: 'boolean', describe: 'one JSON object: {id,state,source,since,why,asks,said,cli,runner,events}' }),
    handler: handle(explain),
  },
];
