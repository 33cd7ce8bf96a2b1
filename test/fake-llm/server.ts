// A scripted stand-in for the Anthropic Messages API on 127.0.0.1, so the real claude and pi CLIs
// can run in tests with no network and no key. Only node:http; each test queues the replies it wants.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ToolCall {
  name: string;
  input: Record<string, unknown>;
}

/** One scripted answer to one agent turn. */
export interface Reply {
  /** Assistant text (sent before any tool calls). */
  text?: string;
  /** tool_use blocks: the CLI runs these tools and comes back with their results. */
  tools?: ToolCall[];
  /** Answer with this HTTP status and an Anthropic error body instead of a message. */
  status?: number;
  message?: string;
  /** Keep answering with this reply instead of consuming it (e.g. a 500 that survives retries). */
  sticky?: boolean;
  /** Hold the answer back this long (ms). */
  delayMs?: number;
}

export interface Recorded {
  method: string;
  path: string;
  body: any;
  /** Whether this request consumed the scripted queue (an agent turn, i.e. it offered tools). */
  scripted: boolean;
  status: number;
}

export interface FakeApi {
  url: string;
  port: number;
  queue(...replies: Reply[]): void;
  /** Drops queued replies (sticky ones too) and the request log. */
  reset(): void;
  /** Every request seen, oldest first. */
  requests: Recorded[];
  /** Agent turns only (requests that offered tools). */
  turns(): Recorded[];
  /** Requests that were meant for another host (arrived through the proxy settings). */
  escapes(): Recorded[];
  /** Resolves when `n` agent turns have been answered (or rejects after timeoutMs). */
  waitTurns(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

let seq = 0;
const nextId = (prefix: string) => `${prefix}_fake${String(++seq).padStart(6, '0')}`;

// A rough token count: stable per request, good enough for cost accounting tests.
const tokensOf = (v: unknown) => Math.max(1, Math.ceil(JSON.stringify(v ?? '').length / 4));

function contentOf(reply: Reply): Array<Record<string, unknown>> {
  const blocks: Array<Record<string, unknown>> = [];
  if (reply.text !== undefined) blocks.push({ type: 'text', text: reply.text });
  for (const t of reply.tools ?? []) blocks.push({ type: 'tool_use', id: nextId('toolu'), name: t.name, input: t.input });
  if (blocks.length === 0) blocks.push({ type: 'text', text: '' });
  return blocks;
}

function messageOf(reply: Reply, model: string, inputTokens: number) {
  const content = contentOf(reply);
  return {
    id: nextId('msg'),
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: reply.tools?.length ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: inputTokens,
      output_tokens: tokensOf(content),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    },
  };
}

function sse(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

// Streams a message the way the real API does: start, one block at a time in deltas, delta, stop.
function streamMessage(res: ServerResponse, msg: ReturnType<typeof messageOf>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': nextId('req') });
  sse(res, 'message_start', {
    type: 'message_start',
    message: { ...msg, content: [], stop_reason: null, usage: { ...msg.usage, output_tokens: 1 } },
  });
  sse(res, 'ping', { type: 'ping' });
  msg.content.forEach((block, index) => {
    if (block.type === 'text') {
      sse(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      const text = String(block.text);
      for (let i = 0; i < text.length || i === 0; i += 40) {
        sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: text.slice(i, i + 40) } });
      }
    } else {
      sse(res, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
      });
      const json = JSON.stringify(block.input);
      for (let i = 0; i < json.length; i += 60) {
        sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json.slice(i, i + 60) } });
      }
    }
    sse(res, 'content_block_stop', { type: 'content_block_stop', index });
  });
  sse(res, 'message_delta', {
    type: 'message_delta',
    delta: { stop_reason: msg.stop_reason, stop_sequence: null },
    usage: { output_tokens: msg.usage.output_tokens },
  });
  sse(res, 'message_stop', { type: 'message_stop' });
  res.end();
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': nextId('req') });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<any> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(raw ? JSON.parse(raw) : null);
      } catch {
        resolve(raw);
      }
    });
  });
}

/** Starts the fake API on 127.0.0.1 and a random free port. */
export async function startFakeApi(opts: { sideReply?: string } = {}): Promise<FakeApi> {
  const queue: Reply[] = [];
  const requests: Recorded[] = [];
  const waiters: Array<() => void> = [];

  const server = createServer(async (req, res) => {
    // A proxied plain-HTTP request carries an absolute URL: keep it whole so it shows as an escape.
    const path = /^https?:/.test(req.url ?? '') ? req.url! : (req.url ?? '/').split('?')[0]!;
    const body = await readBody(req);
    const rec: Recorded = { method: req.method ?? 'GET', path, body, scripted: false, status: 200 };
    requests.push(rec);

    if (req.method === 'POST' && path.startsWith('/') && path.endsWith('/v1/messages/count_tokens')) {
      return sendJson(res, 200, { input_tokens: tokensOf(body?.messages) });
    }
    if (req.method === 'POST' && path.startsWith('/') && path.endsWith('/v1/messages')) {
      // Side requests (titles, summaries, quota probes) offer no tools: answer them without
      // touching the script, so a test only scripts the agent's own turns.
      const agentTurn = Array.isArray(body?.tools) && body.tools.length > 0;
      let reply: Reply = { text: opts.sideReply ?? 'ok' };
      if (agentTurn) {
        rec.scripted = true;
        const head = queue[0];
        reply = head ?? { text: 'fake-llm: nothing scripted for this turn' };
        if (head && !head.sticky) queue.shift();
      }
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if (reply.status && reply.status >= 400) {
        rec.status = reply.status;
        sendJson(res, reply.status, {
          type: 'error',
          error: { type: ERROR_TYPES[reply.status] ?? 'api_error', message: reply.message ?? `fake-llm: scripted HTTP ${reply.status}` },
        });
      } else {
        const msg = messageOf(reply, String(body?.model ?? 'fake-model'), tokensOf([body?.system, body?.messages]));
        if (body?.stream) streamMessage(res, msg);
        else sendJson(res, 200, msg);
      }
      if (rec.scripted) for (const w of waiters.splice(0)) w();
      return;
    }
    // Anything else the CLIs probe at startup: answer "not here" and keep a record so tests can see it.
    rec.status = 404;
    sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: `fake-llm: no ${req.method} ${path}` } });
  });

  // Tests also name this server as HTTPS_PROXY/HTTP_PROXY: a CLI that tries to reach any other host
  // lands here instead of on the network, is refused, and leaves a record (method CONNECT).
  server.on('connect', (req, socket) => {
    requests.push({ method: 'CONNECT', path: req.url ?? '', body: null, scripted: false, status: 403 });
    socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const turns = () => requests.filter((r) => r.scripted);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    queue: (...replies) => void queue.push(...replies),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    requests,
    turns,
    escapes: () => requests.filter((r) => r.method === 'CONNECT' || /^https?:/.test(r.path)),
    waitTurns(n, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error(`fake-llm: ${turns().length}/${n} agent turns after ${timeoutMs} ms`)), timeoutMs);
        const check = () => {
          if (turns().length >= n) {
            clearTimeout(deadline);
            resolve();
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
