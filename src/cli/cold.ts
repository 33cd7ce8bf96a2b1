// The handlers of the verbs that may start slower (they load config, zod, execa): one island, so the
// hot bundle that ls, send, flag, claim and a skipped tick load stays small. table.ts names them.
export { status } from './status.ts';
export { journal, listRuns, showRun } from './history.ts';
export { report } from './cost.ts';
export { startSession, restart, kill, prune, resize } from './sessions.ts';
export { verify } from './verify.ts';
export { attach, detach } from './attach.ts';
export { log, watch } from './view.ts';
export { shot, expect, wait, idle } from './inspect.ts';
export { install, print, remove, show } from './schedule.ts';
export { foreground, pulse, demo } from './pulse.ts';
export { completion } from './shell-config.ts';
