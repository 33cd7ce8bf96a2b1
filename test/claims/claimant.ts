// A long-lived claimant process for the race test: takes the lease it is told to, through the real
// claims module (proper-lockfile across processes), and reports whether it won.
import { context } from '../../src/context.ts';
import { takeClaim } from '../../src/claims/take.ts';

const session = process.argv[2]!;
const ctx = context();

process.on('message', async (msg: { name: string }) => {
  try {
    await takeClaim(ctx, { name: msg.name, session, external: true, isAlive: () => true });
    process.send!({ won: true });
  } catch (err) {
    process.send!({ won: false, error: (err as Error).message });
  }
});
process.send!({ ready: true });
