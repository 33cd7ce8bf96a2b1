// Untrusted text (LLM output, sensor readings, worker notes) on its way to a person's terminal: no
// control character reaches it raw, so no OSC 52 clipboard write, title change, cursor move or bidi
// reordering. Each one is shown as a visible escape (`\x1b`, `\u202e`) instead, so the evidence stays.

// C0 (but \n and \t), DEL, C1, and the bidi embedding/override/isolate marks.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;:]*m/g;

const visible = (ch: string): string => {
  const code = ch.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** The text with every control character (but newline and tab) made visible and inert. */
export function safeText(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Like safeText, but colour (SGR) sequences pass: for streams looop itself coloured. */
export function safeKeepColor(text: string): string {
  const out: string[] = [];
  let last = 0;
  for (const m of text.matchAll(SGR)) {
    out.push(safeText(text.slice(last, m.index)), m[0]);
    last = m.index + m[0].length;
  }
  out.push(safeText(text.slice(last)));
  return out.join('');
}

/** Every string inside a plain JSON-like value made safe (for events and records printed to humans). */
export function safeDeep<T>(value: T): T {
  if (typeof value === 'string') return safeText(value) as T;
  if (Array.isArray(value)) return value.map(safeDeep) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = safeDeep(v);
    return out as T;
  }
  return value;
}
