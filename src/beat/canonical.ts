// Canonical JSON (sorted keys) and the wake part of a reading: what may wake the decider.
import { createHash } from 'node:crypto';

// A number too precise for a double travels as a marked string so it compares by its text, not by its rounding.
const BIG = '\u0000looop-number:';

export function canonicalJson(value: unknown): string {
  if (typeof value === 'string' && value.startsWith(BIG)) return value.slice(BIG.length);
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** Marks every number literal a double cannot hold exactly (outside strings), e.g. 64-bit ids. */
export function markBigNumbers(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (tok) => {
    if (tok.startsWith('"')) return tok;
    const n = Number(tok);
    const exact = Number.isFinite(n) && (/^-?\d+$/.test(tok) ? Number.isSafeInteger(n) : tok.replace(/^-|\.|e.*$/gi, '').replace(/^0+/, '').length <= 15);
    return exact ? tok : JSON.stringify(BIG + tok);
  });
}

/** Parses a sensor's raw output: JSON when it is JSON, else the raw text. */
export function parseReading(raw: string): { json: true; value: unknown } | { json: false; value: string } {
  const trimmed = raw.trim();
  if (trimmed) {
    try {
      return { json: true, value: JSON.parse(markBigNumbers(trimmed)) };
    } catch {
      // Non-JSON output counts raw.
    }
  }
  return { json: false, value: raw };
}

/** The part of a reading that wakes: `signal` of an object that has one, else the whole reading. */
export function wakePart(raw: string): string {
  const r = parseReading(raw);
  if (!r.json) return `raw:${r.value}`;
  const v = r.value;
  if (v && typeof v === 'object' && !Array.isArray(v) && 'signal' in v) {
    return canonicalJson((v as { signal: unknown }).signal);
  }
  return canonicalJson(v);
}

export function sha256(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}
