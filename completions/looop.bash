# bash completion for looop, generated from its verb table (do not edit; `looop completion bash` prints it).
# Load it with:  eval "$(looop completion bash)"   (e.g. in ~/.bashrc)
# Worker ids, claim names and run ids come live from the profile looop resolves (LOOOP_DATA_DIR is
# respected) through the hidden, fast `looop _complete`; they are offered escaped, never evaluated.

_looop_live() {
  command "${_looop_cmd:-looop}" _complete "$1" 2>/dev/null
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
    "tick") opts="--json --dry-run --force --help"; vals=""; subs=""; kinds=(); rest="" ;;
    "status") opts="--json --help"; vals=""; subs=""; kinds=(); rest="" ;;
    "journal") opts="--tail --follow --json --help"; vals="--tail"; subs=""; kinds=(); rest="" ;;
    "runs") opts="--json --help"; vals=""; subs="show"; kinds=(); rest="" ;;
    "runs show") opts="--prompt --json --help"; vals=""; subs=""; kinds=("runs"); rest="" ;;
    "cost") opts="--json --help"; vals=""; subs=""; kinds=("w:today week all"); rest="" ;;
    "ls") opts="--json --watch --help"; vals=""; subs=""; kinds=(); rest="" ;;
    "start-session") opts="--cwd --verify --host --json --help"; vals="--cwd --verify --host"; subs=""; kinds=("" "" ""); rest="" ;;
    "attach") opts="--popup --help"; vals=""; subs=""; kinds=("ids"); rest="" ;;
    "detach") opts="--json --help"; vals=""; subs=""; kinds=("ids"); rest="" ;;
    "watch") opts="--help"; vals=""; subs=""; kinds=("ids+pulse"); rest="" ;;
    "log") opts="--tail --grep --follow --json --raw --help"; vals="--tail --grep"; subs=""; kinds=("ids+pulse"); rest="" ;;
    "shot") opts="--ansi --json --help"; vals=""; subs=""; kinds=("ids+pulse"); rest="" ;;
    "send") opts="--enter --no-enter --json --help"; vals=""; subs=""; kinds=("ids"); rest="" ;;
    "key") opts="--help"; vals=""; subs=""; kinds=("ids"); rest="keys" ;;
    "expect") opts="--timeout --new --json --help"; vals="--timeout"; subs=""; kinds=("ids+pulse" ""); rest="" ;;
    "wait") opts="--timeout --json --help"; vals="--timeout"; subs=""; kinds=("ids"); rest="" ;;
    "wait-idle") opts="--quiet --timeout --json --help"; vals="--quiet --timeout"; subs=""; kinds=("ids"); rest="" ;;
    "resize") opts="--help"; vals=""; subs=""; kinds=("ids" ""); rest="" ;;
    "restart") opts="--json --help"; vals=""; subs=""; kinds=("ids"); rest="" ;;
    "kill") opts="--json --help"; vals=""; subs=""; kinds=("ids"); rest="" ;;
    "prune") opts="--json --help"; vals=""; subs=""; kinds=(); rest="" ;;
    "flag") opts="--json --help"; vals=""; subs=""; kinds=(); rest="ids" ;;
    "done") opts="--json --help"; vals=""; subs=""; kinds=("ids"); rest="" ;;
    "verify") opts="--json --help"; vals=""; subs=""; kinds=("ids"); rest="" ;;
    "unflag") opts="--json --help"; vals=""; subs=""; kinds=("ids"); rest="" ;;
    "claim") opts="--ttl --note --session --help"; vals="--ttl --note --session"; subs=""; kinds=("claims"); rest="" ;;
    "release") opts="--session --force --help"; vals="--session"; subs=""; kinds=("claims"); rest="" ;;
    "claims") opts="--json --help"; vals=""; subs=""; kinds=(); rest="" ;;
    "schedule") opts="--json --help"; vals=""; subs="install print remove"; kinds=(); rest="" ;;
    "schedule install") opts="--every --systemd --cron --help"; vals="--every"; subs=""; kinds=(); rest="" ;;
    "schedule print") opts="--every --systemd --cron --help"; vals="--every"; subs=""; kinds=(); rest="" ;;
    "schedule remove") opts="--help"; vals=""; subs=""; kinds=(); rest="" ;;
    "demo") opts="--wait --no-wait --help"; vals=""; subs=""; kinds=(); rest="" ;;
    "completion"|"config") opts="--help"; vals=""; subs=""; kinds=("shells"); rest="" ;;
    "version") opts="--help"; vals=""; subs=""; kinds=(); rest="" ;;
    "help") opts="--help"; vals=""; subs=""; kinds=(); rest="verbs" ;;
    "_pulse") opts="--json --owner --help"; vals="--owner"; subs=""; kinds=(); rest="" ;;
    "_fmt") opts="--help"; vals=""; subs=""; kinds=(); rest="" ;;
    "_cost") opts="--help"; vals=""; subs=""; kinds=("" "" "" ""); rest="" ;;
    "_complete") opts="--help"; vals=""; subs=""; kinds=(""); rest="" ;;
    "schedules") opts="--json --help"; vals=""; subs=""; kinds=(); rest="" ;;
    "schedule-add") opts="--in --every --at --tz --json --help"; vals="--in --every --at --tz"; subs=""; kinds=(""); rest="" ;;
    "schedule-drop") opts="--help"; vals=""; subs=""; kinds=(""); rest="" ;;
    "resume") opts="--lost --json --help"; vals=""; subs=""; kinds=(""); rest="" ;;
    "diff") opts="--stat --help"; vals=""; subs=""; kinds=(""); rest="" ;;
    "inbox") opts="--all --json --help"; vals=""; subs="ack"; kinds=(); rest="" ;;
    "inbox ack") opts="--json --help"; vals=""; subs=""; kinds=(""); rest="" ;;
    "stop") opts="--json --help"; vals=""; subs=""; kinds=(); rest="" ;;
    "poke") opts="--json --help"; vals=""; subs=""; kinds=(); rest="" ;;
    "doctor") opts="--json --help"; vals=""; subs=""; kinds=(); rest="" ;;
    "answer") opts="--help"; vals=""; subs=""; kinds=(""); rest="" ;;
    "approve") opts="--help"; vals=""; subs=""; kinds=(""); rest="" ;;
    "deny") opts="--help"; vals=""; subs=""; kinds=(""); rest="" ;;
    "explain") opts="--json --help"; vals=""; subs=""; kinds=(""); rest="" ;;
  esac
}

_looop_kind() {
  case "$1" in
    ids|claims|runs) _looop_offer < <(_looop_live "$1") ;;
    ids+pulse) _looop_offer < <(echo pulse; _looop_live ids) ;;
    keys) _looop_offer < <(printf '%s\n' Enter Escape Tab BSpace Up Down Left Right Home End PageUp PageDown C-c C-d C-z C-l Space) ;;
    shells) _looop_offer < <(printf '%s\n' bash zsh) ;;
    verbs) _looop_offer < <(printf '%s\n' tick status journal runs cost ls start-session attach detach watch log shot send key expect wait wait-idle resize restart kill prune flag done verify unflag claim release claims schedule demo completion config version help schedules schedule-add schedule-drop resume diff inbox stop poke doctor answer approve deny explain) ;;
    w:*) _looop_offer < <(printf '%s\n' ${1#w:}) ;;
  esac
}

_looop() {
  local cur="${COMP_WORDS[COMP_CWORD]}" prev="" key="" opts vals subs kinds rest n=0 i w skip=""
  _looop_cmd="${COMP_WORDS[0]}"
  COMPREPLY=()
  _looop_spec ""
  # Walk the words before the cursor: the verb (and subcommand), options and their values, positionals.
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="${COMP_WORDS[i]}"
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
    _looop_offer < <(printf '%s\n' $opts)
    return
  fi
  [ -n "$key" ] && [ "$n" -eq 0 ] && [ -n "$subs" ] && _looop_offer < <(printf '%s\n' $subs)
  if [ "$n" -lt "${#kinds[@]}" ]; then _looop_kind "${kinds[n]}"; else _looop_kind "$rest"; fi
}

complete -F _looop looop
