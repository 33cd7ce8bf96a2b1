// Making runner output safe to show: no escape sequences, no control characters, bounded lines.

// CSI, OSC (BEL or ST terminated), DCS/PM/APC strings, charset designations, two-byte escapes, 8-bit CSI.
// eslint-disable-next-line no-control-regex
export const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[()][0-9A-Za-z]|\x1b[@-Z\\-_=>]|\x9b[0-?]*[ -/]*[@-~]/g;
// Then any other C0 control but tab.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** A carriage return redraws the line: keep what a terminal would finally show (linear, no regex backtracking). */
function lastRedraw(text: string): string {
  if (!text.includes('\r')) return text;
  return text
    .split('\n')
    .map((line) => {
      const t = line.replace(/\r+$/, '');
      return t.slice(t.lastIndexOf('\r') + 1);
    })
    .join('\n');
}

export function stripAnsi(s: string): string {
  return lastRedraw(s.replace(ANSI, '')).replace(CONTROL, '').replace(/\t/g, '  ');
}

export function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max).join('')}… (+${chars.length - max} chars)`;
}

/** One display line: escapes gone, whitespace collapsed, bounded. */
export function oneLine(s: string, max = 160): string {
  return clip(stripAnsi(s).replace(/\s+/g, ' ').trim(), max);
}

/** Multi-line text as bounded display lines (blank runs collapsed). */
export function textLines(s: string, maxLine = 2000, maxLines = 200): string[] {
  const lines = stripAnsi(s).split('\n').map((l) => clip(l.trimEnd(), maxLine));
  const out: string[] = [];
  for (const l of lines) if (l || (out.length && out[out.length - 1])) out.push(l);
  while (out.length && !out[out.length - 1]) out.pop();
  if (out.length > maxLines) return [...out.slice(0, maxLines), `… (+${out.length - maxLines} lines)`];
  return out;
}

const KEY_ARGS = ['command', 'cmd', 'file_path', 'filePath', 'path', 'notebook_path', 'pattern', 'url', 'query', 'description', 'prompt', 'skill', 'name'];

/** The argument that says what a tool call does (its command, file, pattern, ...). */
export function keyArgument(args: unknown): string {
  if (args === null || args === undefined) return '';
  if (typeof args !== 'object') return oneLine(String(args));
  const a = args as Record<string, unknown>;
  for (const k of KEY_ARGS) if (typeof a[k] === 'string' && a[k]) return oneLine(a[k] as string);
  const first = Object.values(a).find((v) => typeof v === 'string' && v);
  if (typeof first === 'string') return oneLine(first);
  return oneLine(JSON.stringify(a), 120);
}

/** Text out of a tool result: a string, or content blocks with text. */
export function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((b) => (b && typeof b === 'object' && typeof (b as { text?: unknown }).text === 'string' ? (b as { text: string }).text : ''))
      .filter(Boolean)
      .join('\n');
  }
  if (content && typeof content === 'object' && 'content' in content) return resultText((content as { content: unknown }).content);
  return '';
}
