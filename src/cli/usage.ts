// --help text, rendered from the verb table (the same declarations the parser reads).
import { slots, type Opt, type Verb } from './parse.ts';

const width = () => Math.max(60, Math.min(100, process.stdout.columns || 100));

/** Two columns: the left padded to `left`, the right wrapped under itself. */
function rows(items: Array<[string, string]>, left: number): string {
  const room = Math.max(30, width() - left - 2);
  return items
    .map(([l, r]) => {
      const words = r.split(' ');
      const lines: string[] = [];
      let cur = '';
      for (const w of words) {
        if (cur && cur.length + 1 + w.length > room) {
          lines.push(cur);
          cur = w;
        } else cur = cur ? `${cur} ${w}` : w;
      }
      lines.push(cur);
      const head = l && l.length + 2 > left ? [`${l}`, ...lines.map((x) => ' '.repeat(left) + x)] : [l.padEnd(left) + lines[0], ...lines.slice(1).map((x) => ' '.repeat(left) + x)];
      return head.map((x) => x.trimEnd()).join('\n');
    })
    .join('\n');
}

const synopsis = (path: string, v: Verb) => ['looop', path, v.args ?? ''].filter(Boolean).join(' ');

function optionRows(opts: Record<string, Opt>): Array<[string, string]> {
  return Object.entries(opts).map(([name, o]) => {
    const flag = `  ${o.alias ? `-${o.alias}, ` : ''}--${name}${o.type === 'boolean' ? '' : o.type === 'duration' ? ' <time>' : ` <${o.type}>`}`;
    const extra = [o.choices ? `one of ${o.choices.join(', ')}` : '', o.default !== undefined ? `default: ${String(o.default)}` : ''].filter(Boolean);
    return [flag, `${o.describe ?? ''}${extra.length ? ` [${extra.join('; ')}]` : ''}`.trim()];
  });
}

export function topHelp(verbs: readonly Verb[]): string {
  const shown = verbs.filter((v) => v.describe !== false);
  const items: Array<[string, string]> = [['  looop', 'run the loop in the foreground (see looop --json)']];
  for (const v of shown) items.push([`  ${synopsis(v.name, v)}`, String(v.describe)]);
  return [
    'looop — a tiny, Kubernetes-shaped control loop for your work, native to tmux',
    '',
    'Usage: looop <command> [options]',
    '',
    'Commands:',
    rows(items, 34),
    '',
    'Options:',
    rows([['  --json', 'the foreground loop streams NDJSON events'], ['  -h, --help', 'show help'], ['  -V, --version', 'print the version']], 34),
    '',
    '`looop help` prints the manual; `looop <command> --help` shows a command\'s options.',
    '',
  ].join('\n');
}

export function verbHelp(v: Verb, path: string): string {
  const out = [synopsis(path, v), ''];
  if (v.describe) out.push(rows([['', v.describe]], 0).replace(/^\n/, ''), '');
  if (v.subcommands?.length) {
    out.push('Commands:', rows(v.subcommands.map((s): [string, string] => [`  ${synopsis(`${path} ${s.name}`, s)}`, String(s.describe || '')]), 34), '');
  }
  const pos = slots(v.args).map((s): [string, string] => {
    const p = v.positionals?.[s.name];
    const extra = [p?.choices ? `one of ${p.choices.join(', ')}` : '', p?.default !== undefined ? `default: ${p.default}` : ''].filter(Boolean);
    return [`  ${s.name}`, `${p?.describe ?? ''}${extra.length ? ` [${extra.join('; ')}]` : ''}`.trim()];
  });
  if (pos.length) out.push('Positionals:', rows(pos, 24), '');
  out.push('Options:', rows([...optionRows(v.options ?? {}), ['  -h, --help', 'show this help']], 24), '');
  if (v.aliases?.length) out.push(`Also: ${v.aliases.map((a) => `looop ${a}`).join(', ')}`, '');
  if (v.examples?.length) out.push('Examples:', rows(v.examples.map(([c, w]): [string, string] => [`  ${c}`, w]), 48), '');
  return out.join('\n');
}
