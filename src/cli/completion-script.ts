// The bash and zsh completion scripts, generated from the verb table (and written to completions/ by
// the build). Live names (worker ids, claims, runs) come from `looop _complete` and are offered as
// data: escaped for the command line, never evaluated, so a window named `$(touch x)` stays text.
import { slots, type Completes, type Verb } from './parse.ts';

const KEYS = 'Enter Escape Tab BSpace Up Down Left Right Home End PageUp PageDown C-c C-d C-z C-l Space';

interface Spec {
  /** `verb` or `verb sub`, with the verb's aliases. */
  keys: string[];
  opts: string[];
  /** Options that take a value (the next word is not a positional). */
  vals: string[];
  subs: string[];
  /** What each positional completes ('' = nothing), then what the rest completes. */
  kinds: string[];
  rest: string;
}

function kindOf(v: Verb, name: string): string {
  const p = v.positionals?.[name];
  if (p?.completes) return p.completes satisfies Completes;
  return p?.choices ? `w:${p.choices.join(' ')}` : '';
}

function specs(verbs: readonly Verb[]): Spec[] {
  const out: Spec[] = [];
  const walk = (v: Verb, keys: string[]) => {
    const opts = Object.entries(v.options ?? {}).flatMap(([n, o]) => (o.type === 'boolean' && o.default === true ? [`--${n}`, `--no-${n}`] : [`--${n}`]));
    const vals = Object.entries(v.options ?? {}).filter(([, o]) => o.type !== 'boolean').map(([n]) => `--${n}`);
    const ss = slots(v.args);
    const last = ss[ss.length - 1];
    const fixed = last?.variadic ? ss.slice(0, -1) : ss;
    const subs = (v.subcommands ?? []).map((s) => s.name);
    out.push({ keys, opts: [...opts, '--help'], vals, subs, kinds: fixed.map((s) => kindOf(v, s.name)), rest: last?.variadic ? kindOf(v, last.name) : '' });
    for (const s of v.subcommands ?? []) walk(s, keys.map((k) => `${k} ${s.name}`));
  };
  for (const v of verbs) walk(v, [v.name, ...(v.aliases ?? [])]);
  return out;
}

const visible = (verbs: readonly Verb[]) => verbs.filter((v) => v.describe !== false);
const verbWords = (verbs: readonly Verb[]) => visible(verbs).flatMap((v) => [v.name, ...(v.aliases ?? [])]);

export function bashScript(verbs: readonly Verb[]): string {
  const cases = specs(verbs)
    .map((s) => `    ${s.keys.map((k) => `"${k}"`).join('|')}) opts="${s.opts.join(' ')}"; vals="${s.vals.join(' ')}"; subs="${s.subs.join(' ')}"; kinds=(${s.kinds.map((k) => `"${k}"`).join(' ')}); rest="${s.rest}" ;;`)
    .join('\n');
  return `# bash completion for looop, generated from its verb table (do not edit; \`looop completion bash\` prints it).
# Load it with:  eval "$(looop completion bash)"   (e.g. in ~/.bashrc)
# Worker ids, claim names and run ids come live from the profile looop resolves (LOOOP_DATA_DIR is
# respected) through the hidden, fast \`looop _complete\`; they are offered escaped, never evaluated.

_looop_live() {
  command "\${_looop_cmd:-looop}" _complete "$1" 2>/dev/null
}

# Offers each line of stdin that starts with $cur, escaped for the command line.
_looop_offer() {
  local w
  while IFS= read -r w; do
    [[ -n $w && $w == "$cur"* ]] && COMPREPLY+=("$(printf '%q' "$w")")
  done
}

_looop_spec() {
  opts="" vals="" subs="" kinds=() rest=""
  case "$1" in
    "") opts="--json --help --version"; kinds=(verbs) ;;
${cases}
  esac
}

_looop_kind() {
  case "$1" in
    ids|claims|runs) _looop_offer < <(_looop_live "$1") ;;
    ids+pulse) _looop_offer < <(echo pulse; _looop_live ids) ;;
    keys) _looop_offer < <(printf '%s\\n' ${KEYS}) ;;
    shells) _looop_offer < <(printf '%s\\n' bash zsh) ;;
    verbs) _looop_offer < <(printf '%s\\n' ${verbWords(verbs).join(' ')}) ;;
    w:*) _looop_offer < <(printf '%s\\n' \${1#w:}) ;;
  esac
}

_looop() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" key="" opts vals subs kinds rest n=0 i w skip=""
  _looop_cmd="\${COMP_WORDS[0]}"
  COMPREPLY=()
  _looop_spec ""
  # Walk the words before the cursor: the verb (and subcommand), options and their values, positionals.
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    if [ -n "$skip" ]; then skip=""; continue; fi
    case "$w" in
      --*=*) continue ;;
      -?*) [[ " $vals " == *" $w "* ]] && skip=1; continue ;;
    esac
    if [ -z "$key" ]; then key="$w"; _looop_spec "$key"; continue; fi
    if [ "$n" -eq 0 ] && [[ " $subs " == *" $w "* ]]; then key="$key $w"; _looop_spec "$key"; continue; fi
    n=$((n + 1))
  done
  [ -n "$skip" ] && return
  if [[ "$cur" == -* ]]; then
    _looop_offer < <(printf '%s\\n' $opts)
    return
  fi
  [ -n "$key" ] && [ "$n" -eq 0 ] && [ -n "$subs" ] && _looop_offer < <(printf '%s\\n' $subs)
  if [ "$n" -lt "\${#kinds[@]}" ]; then _looop_kind "\${kinds[n]}"; else _looop_kind "$rest"; fi
}

complete -F _looop looop
`;
}

/** zsh single-quoted word. */
const zq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The first clause of a description, short enough for a completion menu. */
function short(d: string): string {
  const first = d.split(/[;:(]|, or | \(|\. /)[0]!.trim();
  return first.length > 60 ? `${first.slice(0, 57)}...` : first;
}

export function zshScript(verbs: readonly Verb[]): string {
  const list = visible(verbs)
    .flatMap((v) => [v.name, ...(v.aliases ?? [])].map((n) => `    ${zq(`${n.replace(/:/g, '\\:')}:${short(String(v.describe))}`)}`))
    .join('\n');
  const cases = specs(verbs)
    .map((s) => `    ${s.keys.map((k) => zq(k)).join('|')}) opts=(${s.opts.join(' ')}); vals=(${s.vals.join(' ')}); subs=(${s.subs.join(' ')}); kinds=(${s.kinds.map((k) => zq(k)).join(' ')}); rest=${zq(s.rest)} ;;`)
    .join('\n');
  return `#compdef looop
# zsh completion for looop, generated from its verb table (do not edit; \`looop completion zsh\` prints it).
# Load it with:  eval "$(looop completion zsh)"   (e.g. in ~/.zshrc, after compinit), or save it as
# _looop in a directory on your $fpath. Worker ids, claim names and run ids come live from the profile
# looop resolves (LOOOP_DATA_DIR is respected) via \`looop _complete\`; compadd quotes them, never evaluates.

_looop_live() {
  local -a items
  items=(\${(f)"$(command \${_looop_cmd:-looop} _complete $1 2>/dev/null)"})
  (( \${#items} )) && compadd -a items
}

_looop_spec() {
  opts=() vals=() subs=() kinds=() rest=
  case $1 in
    '') opts=(--json --help --version); kinds=(verbs) ;;
${cases}
  esac
}

_looop() {
  local _looop_cmd=\${words[1]} key= w skip= rest= i n=0
  local -a opts vals subs kinds verbs
  verbs=(
${list}
  )
  _looop_spec ''
  for (( i = 2; i < CURRENT; i++ )); do
    w=\${words[i]}
    if [[ -n $skip ]]; then skip=; continue; fi
    case $w in
      --*=*) continue ;;
      -?*) (( \${vals[(Ie)$w]} )) && skip=1; continue ;;
    esac
    if [[ -z $key ]]; then key=$w; _looop_spec $key; continue; fi
    if (( n == 0 )) && (( \${subs[(Ie)$w]} )); then key="$key $w"; _looop_spec $key; continue; fi
    (( n++ ))
  done
  [[ -n $skip ]] && return
  if [[ $PREFIX == -* ]]; then
    compadd -- $opts
    return
  fi
  [[ -n $key ]] && (( n == 0 && \${#subs} )) && compadd -- $subs
  local k=$rest
  (( n + 1 <= \${#kinds} )) && k=\${kinds[n+1]}
  case $k in
    ids|claims|runs) _looop_live $k ;;
    ids+pulse) compadd -- pulse; _looop_live ids ;;
    keys) compadd -- ${KEYS} ;;
    shells) compadd -- bash zsh ;;
    verbs) _describe -t commands 'looop command' verbs ;;
    w:*) compadd -- \${=k#w:} ;;
  esac
}

# Autoloaded from $fpath: complete now. Evaluated: register with compinit's compdef when it is loaded.
if [[ \${funcstack[1]} == _looop ]]; then
  _looop "$@"
elif (( $+functions[compdef] )); then
  compdef _looop looop
fi
`;
}
