# bash completion for looop. Load it with:  eval "$(looop config bash)"   (e.g. in ~/.bashrc)
# Worker ids, claim names and run ids come live from the profile looop resolves
# (LOOOP_DATA_DIR is respected), through the hidden, fast `looop _complete`.

_looop_live() {
  command "${_looop_cmd:-looop}" _complete "$1" 2>/dev/null
}

_looop() {
  local cur prev verb i
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  _looop_cmd="${COMP_WORDS[0]}"
  COMPREPLY=()

  local verbs="tick status journal runs cost ls start-session attach detach watch log shot send key expect wait wait-idle resize restart kill prune flag unflag claim release claims schedule demo config version help"

  # The verb is the first word after `looop` that is not an option.
  verb=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "${COMP_WORDS[i]}" in
      -*) ;;
      *) verb="${COMP_WORDS[i]}"; break ;;
    esac
  done
  if [ -z "$verb" ]; then
    COMPREPLY=($(compgen -W "$verbs --json --help --version" -- "$cur"))
    return
  fi

  local opts=""
  case "$verb" in
    tick) opts="--json --dry-run" ;;
    status|claims|cost|runs|start-session|detach|flag|unflag|kill|restart|prune|schedule) opts="--json" ;;
    journal) opts="--tail --follow --json" ;;
    log) opts="--tail --grep --follow --json --raw" ;;
    shot) opts="--ansi --json" ;;
    send) opts="--enter --no-enter --json" ;;
    expect) opts="--timeout --new --json" ;;
    wait) opts="--timeout --json" ;;
    wait-idle) opts="--quiet --timeout --json" ;;
    attach) opts="--popup" ;;
    claim) opts="--ttl --note --session" ;;
    release) opts="--session --force" ;;
    demo) opts="--wait" ;;
  esac
  [ "$verb" = ls ] && opts="--json --watch"
  [ "$verb" = runs ] && [ "${COMP_WORDS[i+1]}" = show ] && opts="--json --prompt"
  [ "$verb" = schedule ] && [ "$COMP_CWORD" -gt $((i + 1)) ] && opts="--every --systemd --cron --json"
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts --help" -- "$cur"))
    return
  fi
  case "$prev" in
    --ttl|--note|--session|--tail|--grep|--timeout|--quiet|--every) return ;;
  esac

  local pos=$((COMP_CWORD - i))
  case "$verb" in
    attach|detach|send|key|expect|wait|wait-idle|resize|restart|kill|flag|unflag|start-session)
      [ "$pos" -eq 1 ] && COMPREPLY=($(compgen -W "$(_looop_live ids)" -- "$cur"))
      [ "$verb" = key ] && [ "$pos" -ge 2 ] && COMPREPLY=($(compgen -W "Enter Escape Tab BSpace Up Down Left Right Home End PageUp PageDown C-c C-d C-z C-l Space" -- "$cur"))
      ;;
    watch|log|shot)
      [ "$pos" -eq 1 ] && COMPREPLY=($(compgen -W "pulse $(_looop_live ids)" -- "$cur")) ;;
    claim|release)
      [ "$pos" -eq 1 ] && COMPREPLY=($(compgen -W "$(_looop_live claims)" -- "$cur")) ;;
    runs)
      [ "$pos" -eq 1 ] && COMPREPLY=($(compgen -W "show" -- "$cur"))
      [ "$pos" -eq 2 ] && COMPREPLY=($(compgen -W "$(_looop_live runs)" -- "$cur")) ;;
    cost) [ "$pos" -eq 1 ] && COMPREPLY=($(compgen -W "today week all" -- "$cur")) ;;
    schedule) [ "$pos" -eq 1 ] && COMPREPLY=($(compgen -W "install print remove" -- "$cur")) ;;
    config) [ "$pos" -eq 1 ] && COMPREPLY=($(compgen -W "bash zsh" -- "$cur")) ;;
    help) [ "$pos" -eq 1 ] && COMPREPLY=($(compgen -W "$verbs" -- "$cur")) ;;
  esac
}

complete -F _looop looop
