// Nothing the beat starts may outlive looop, even when looop is killed with SIGKILL and cannot clean up.
// Every script the beat runs in its own process group starts with a watcher: in that group, but off the
// script's job table (a bare `wait` never waits for it), it blocks on fd 3 — a pipe whose other end only
// looop holds — and kills the whole group once the pipe reads EOF, which happens the moment looop dies.

export const ORPHAN_GUARD = '( { read -r -u 3 _; kill -KILL 0; } </dev/null >/dev/null 2>&1 & )\nexec 3<&-\n';

/** stdio slot 3 for the guard's pipe (node keeps its end open for as long as it lives). */
export const GUARD_FD = 3;
