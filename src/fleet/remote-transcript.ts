// A session's transcript wherever it is kept: here (sessions/<id>/output.log) or on the worker's host,
// read there by offset through the shared connection (one short ssh call per read, nothing left running).
import { NotFoundError } from '../errors.ts';
import type { Paths } from '../paths.ts';
import { shellQuote } from '../runners.ts';
import { HostUnreachableError, type Remote } from '../tmux.ts';
import { readHostState, remoteOf, remoteSession, sshBytes } from './remote.ts';
import { follow, pause, readFrom, sizeOf } from './transcript.ts';

const MAX = 64 * 1024 * 1024;

export interface TranscriptSource {
  /** Set for a transcript on another host (reads cost a round trip: poll it less often). */
  remote?: Remote;
  /** The local file, for a transcript kept here. */
  path?: string;
  /** Bytes from `offset` to the end (the newest `max` when longer); a shorter file starts over at 0. */
  read(offset: number, signal?: AbortSignal): Promise<{ text: Buffer; end: number }>;
  size(): Promise<number>;
}

/** The transcript of a worker on `host`, on that host. */
export function remoteTranscript(paths: Paths, host: string, id: string): TranscriptSource {
  const state = readHostState(paths, host);
  if (!state) throw new NotFoundError(`host ${host} was never set up on this profile`);
  const remote = remoteOf(state);
  const file = shellQuote(`${remoteSession(state, id)}/output.log`);
  return {
    remote,
    read: (offset, signal) => readRemoteFrom(remote, file, offset, signal),
    size: async () => Number((await sshBytes(remote, `[ -f ${file} ] && echo $(($(wc -c < ${file}))) || echo 0\n`, 30_000)).toString().trim()) || 0,
  };
}

/** A session's transcript: on its host when its record says so, else here. */
export function transcriptOf(paths: Paths, id: string, host?: string): TranscriptSource {
  if (host) return remoteTranscript(paths, host, id);
  const path = paths.transcript(id);
  return { path, read: async (offset) => readFrom(path, offset), size: async () => sizeOf(path) };
}

// First line: where the bytes start and the file's size; then the bytes. Arithmetic drops wc's padding.
async function readRemoteFrom(r: Remote, file: string, offset: number, signal?: AbortSignal): Promise<{ text: Buffer; end: number }> {
  const script = [
    `f=${file}; o=${Math.max(0, Math.floor(offset))}`,
    '[ -f "$f" ] || { echo "$o $o"; exit 0; }',
    's=$(($(wc -c < "$f")))',
    '[ "$s" -lt "$o" ] && o=0',
    `[ $((s - o)) -gt ${MAX} ] && o=$((s - ${MAX}))`,
    'echo "$o $s"',
    'if [ "$s" -gt "$o" ]; then tail -c +$((o + 1)) "$f" | head -c $((s - o)); fi',
    '',
  ].join('\n');
  const out = await sshBytes(r, script, 60_000, signal);
  const nl = out.indexOf(0x0a);
  const start = Number(
    out
      .subarray(0, nl < 0 ? 0 : nl)
      .toString()
      .trim()
      .split(' ')[0],
  );
  const text = nl < 0 ? Buffer.alloc(0) : out.subarray(nl + 1);
  return { text, end: (Number.isFinite(start) ? start : offset) + text.length };
}

/** Like follow(), for any transcript: a remote one is read every `pollMs` (default 500) until stop() or the signal. */
export async function followSource(
  src: TranscriptSource,
  from: number,
  onData: (chunk: Buffer) => void,
  opts: { pollMs?: number; stop?: () => Promise<boolean> | boolean; signal?: AbortSignal } = {},
): Promise<void> {
  if (!src.remote) return follow(src.path ?? '', from, onData, opts);
  let offset = from;
  let checks = 0;
  const drain = async () => {
    try {
      const got = await src.read(offset, opts.signal);
      offset = got.end;
      if (got.text.length) onData(got.text);
    } catch (err) {
      // A host that stops answering for a while is waited for (stop() says when the worker ended).
      if (opts.signal?.aborted) return;
      if (!(err instanceof HostUnreachableError)) throw err;
    }
  };
  while (!opts.signal?.aborted) {
    await drain();
    if (opts.stop && ++checks % 2 === 0 && (await opts.stop())) {
      await drain();
      return;
    }
    await pause(opts.pollMs ?? 500, opts.signal);
  }
}
