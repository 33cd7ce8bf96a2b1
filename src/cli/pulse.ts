// `looop [--json]` (the foreground loop), the hidden `looop _pulse` it runs in tmux, and `looop demo`.
import { context } from '../context.ts';

export async function foreground(a: { json?: boolean }): Promise<number> {
  const { runForeground } = await import('../pulse/foreground.ts');
  return runForeground(context(), { json: Boolean(a.json) });
}

export async function pulse(a: { json?: boolean; owner?: number }): Promise<number> {
  const { runPulse } = await import('../pulse/loop.ts');
  return runPulse(context(), { json: Boolean(a.json), owner: a.owner ?? null });
}

export async function demo(a: { wait?: boolean }): Promise<number> {
  const { runDemo } = await import('../pulse/demo.ts');
  return runDemo({ wait: a.wait !== false });
}
