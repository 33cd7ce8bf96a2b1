#!/usr/bin/env bash
# Installs looop from this checkout, or removes it. Safe to run again: a second run changes nothing and
# says so. Needs Node >= 20 and tmux >= 3.2 (tmux comes from your package manager; that step alone may
# need sudo — looop itself never does).
#
#   ./install.sh                      # global npm prefix if writable, else ~/.local
#   ./install.sh --uninstall          # removes what install.sh put in place (your data dir stays)
#   LOOOP_PREFIX=~/opt ./install.sh   # into a prefix of your choice (looop lands in $LOOOP_PREFIX/bin)
#   LOOOP_INSTALL_NO_PKG=1            # never call the system package manager; only say what to run
#
# PATH: looop writes ~/.local/share/looop/env, which puts its bin folder on PATH when it is missing.
# When that folder is not on PATH already, the line `. "$HOME/.local/share/looop/env"` is added once
# to ~/.profile, ~/.bashrc (and ~/.zshrc for zsh users), so future shells have it; sourcing the file
# in the current shell (as README's first command does) makes `looop` work right away.
set -euo pipefail

say() { printf '%s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
[ -f package.json ] && [ -d src ] || die "run me from a looop checkout (no package.json/src next to $0)"

env_file="$HOME/.local/share/looop/env"
rc_line='. "$HOME/.local/share/looop/env"  # looop: puts its bin folder on PATH'
changed=0

# The prefix looop goes into: LOOOP_PREFIX, else npm's global prefix when writable, else ~/.local.
pick_prefix() {
  local p
  if [ -n "${LOOOP_PREFIX:-}" ]; then
    p="$LOOOP_PREFIX"
  else
    p="$(npm prefix -g 2>/dev/null || true)"
    if [ -z "$p" ] || ! { [ -w "$p/lib/node_modules" ] || { [ ! -e "$p/lib/node_modules" ] && [ -w "$p" ]; }; }; then
      p="$HOME/.local"
    fi
  fi
  mkdir -p "$p"
  (cd "$p" && pwd)
}

rc_files() {
  printf '%s\n' "$HOME/.profile" "$HOME/.bashrc"
  case "${SHELL:-}" in */zsh) printf '%s\n' "$HOME/.zshrc" ;; *) [ -f "$HOME/.zshrc" ] && printf '%s\n' "$HOME/.zshrc" ;; esac
  return 0
}

# --- uninstall --------------------------------------------------------------------------------
if [ "${1:-}" = "--uninstall" ]; then
  command -v npm >/dev/null 2>&1 || die "npm is needed to find where looop was installed"
  removed=0
  for prefix in "${LOOOP_PREFIX:-}" "$(npm prefix -g 2>/dev/null || true)" "$HOME/.local"; do
    [ -n "$prefix" ] || continue
    link="$prefix/lib/node_modules/looop"
    if [ -L "$link" ] && [ "$(cd "$link" 2>/dev/null && pwd -P)" = "$(pwd -P)" ]; then
      rm -f "$prefix/bin/looop" "$link"
      say "removed $prefix/bin/looop"
      removed=1
    fi
  done
  if [ -f "$env_file" ]; then rm -f "$env_file"; rmdir "$(dirname "$env_file")" 2>/dev/null || true; say "removed $env_file"; removed=1; fi
  while IFS= read -r rc; do
    if [ -f "$rc" ] && grep -qF '# looop: puts its bin folder on PATH' "$rc"; then
      grep -vF '# looop: puts its bin folder on PATH' "$rc" > "$rc.looop-tmp" && cat "$rc.looop-tmp" > "$rc" && rm -f "$rc.looop-tmp"
      say "removed looop's PATH line from $rc"
      removed=1
    fi
  done < <(rc_files)
  [ "$removed" = 1 ] || say "looop is not installed from this checkout: nothing to remove"
  say "your loop's files are kept: ${XDG_STATE_HOME:-$HOME/.local/state}/looop and ${XDG_CONFIG_HOME:-$HOME/.config}/looop.json (delete them yourself if you want them gone)"
  exit 0
fi

# "3.3a" -> 303, "next-3.4" -> 304, "20.11.1" -> 2011; unknown -> 0.
version_number() {
  local v
  v="$(printf '%s' "$1" | grep -oE '[0-9]+\.[0-9]+' | head -n 1 || true)"
  [ -n "$v" ] || { echo 0; return; }
  echo $(( ${v%%.*} * 100 + ${v#*.} ))
}

# --- Node >= 20 -------------------------------------------------------------------------------
command -v node >/dev/null 2>&1 || die "Node.js >= 20 is needed and was not found. Install it from https://nodejs.org, or with nvm: nvm install 20"
node_v="$(node -v)"
[ "$(version_number "${node_v#v}")" -ge 2000 ] || die "Node.js >= 20 is needed, found $node_v. Upgrade it (https://nodejs.org, or nvm install 20) and run me again"
command -v npm >/dev/null 2>&1 || die "npm was not found next to node $node_v; install npm (it ships with Node.js)"
say "ok: node $node_v"

# --- tmux >= 3.2 ------------------------------------------------------------------------------
tmux_ok() {
  command -v tmux >/dev/null 2>&1 && [ "$(version_number "$(tmux -V 2>/dev/null)")" -ge 302 ]
}

pkg_install_tmux() {
  [ "${LOOOP_INSTALL_NO_PKG:-}" = 1 ] && return 1
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; fi
  fi
  if command -v brew >/dev/null 2>&1; then
    brew install tmux || brew upgrade tmux
  elif [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; then
    return 1
  elif command -v apt-get >/dev/null 2>&1; then
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y tmux || { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y tmux; }
  elif command -v dnf >/dev/null 2>&1; then
    $sudo dnf install -y tmux
  elif command -v pacman >/dev/null 2>&1; then
    $sudo pacman -S --noconfirm --needed tmux
  elif command -v apk >/dev/null 2>&1; then
    $sudo apk add tmux
  elif command -v zypper >/dev/null 2>&1; then
    $sudo zypper --non-interactive install tmux
  else
    return 1
  fi
}

tmux_hint() {
  if command -v brew >/dev/null 2>&1; then echo "brew install tmux"
  elif command -v apt-get >/dev/null 2>&1; then echo "sudo apt-get install tmux"
  elif command -v dnf >/dev/null 2>&1; then echo "sudo dnf install tmux"
  elif command -v pacman >/dev/null 2>&1; then echo "sudo pacman -S tmux"
  elif command -v apk >/dev/null 2>&1; then echo "sudo apk add tmux"
  else echo "install tmux >= 3.2 with your package manager, or build it from https://github.com/tmux/tmux/releases"
  fi
}

if ! tmux_ok; then
  found="$(tmux -V 2>/dev/null || echo 'no tmux')"
  say "tmux >= 3.2 is needed (found: $found); trying your package manager..."
  if pkg_install_tmux && tmux_ok; then
    :
  else
    found="$(tmux -V 2>/dev/null || echo 'no tmux')"
    die "tmux >= 3.2 is needed (found: $found). Install or upgrade it: $(tmux_hint); then run me again"
  fi
fi
say "ok: $(tmux -V)"

# --- bubblewrap (Linux): run_shell's sandbox; without it run_shell is refused -----------------
if [ "$(uname -s)" = Linux ] && ! command -v bwrap >/dev/null 2>&1 && [ "${LOOOP_INSTALL_NO_PKG:-}" != 1 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; fi
  if [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; then
    say "installing bubblewrap (the sandbox run_shell runs in)..."
    if command -v apt-get >/dev/null 2>&1; then
      $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y bubblewrap || { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y bubblewrap; }
    elif command -v dnf >/dev/null 2>&1; then $sudo dnf install -y bubblewrap
    elif command -v pacman >/dev/null 2>&1; then $sudo pacman -S --noconfirm --needed bubblewrap
    elif command -v apk >/dev/null 2>&1; then $sudo apk add bubblewrap
    elif command -v zypper >/dev/null 2>&1; then $sudo zypper --non-interactive install bubblewrap
    fi || true
  fi
fi
if [ "$(uname -s)" = Linux ]; then
  if command -v bwrap >/dev/null 2>&1; then say "ok: bubblewrap $(bwrap --version 2>/dev/null | awk '{print $2}')"
  else say "warning: bubblewrap (bwrap) is not installed: run_shell will be refused until it is (package: bubblewrap)"; fi
fi

# --- build ------------------------------------------------------------------------------------
# npm ci only when the dependency tree is missing or does not match package.json (re-runs stay fast).
# A node_modules that is a link belongs to someone else: never wipe it.
if [ -L node_modules ]; then
  :
elif [ ! -d node_modules ] || ! npm ls --omit=dev --depth=0 >/dev/null 2>&1; then
  # Runtime deps + esbuild only: the agent CLIs pinned for the e2e tests are dev-only (~500 MB).
  say "installing dependencies (npm ci --omit=dev)..."
  npm ci --omit=dev --no-audit --no-fund
  changed=1
fi
# Build only when a source is newer than the last build.
if [ ! -x dist/looop.mjs ] || [ -n "$(find src shell completions scripts README.md package.json package-lock.json -newer dist/looop.mjs -print -quit 2>/dev/null)" ]; then
  say "building..."
  npm run build --silent
  changed=1
fi
[ -x dist/looop.mjs ] || die "the build did not produce dist/looop.mjs"

# --- install ----------------------------------------------------------------------------------
prefix="$(pick_prefix)"
bin="$prefix/bin"
link="$prefix/lib/node_modules/looop"
if [ -L "$link" ] && [ "$(cd "$link" 2>/dev/null && pwd -P)" = "$(pwd -P)" ] && [ -x "$bin/looop" ]; then
  :
else
  say "installing looop into $prefix (a link to this checkout; keep it where it is)..."
  # Already built above, so no lifecycle scripts; npm's chatter is shown only if it fails.
  if ! out="$(npm install -g --prefix "$prefix" --ignore-scripts --no-audit --no-fund . 2>&1)"; then
    printf '%s\n' "$out" >&2
    die "npm install -g --prefix $prefix failed"
  fi
  changed=1
fi
[ -x "$bin/looop" ] || die "npm did not put looop in $bin"
version="$("$bin/looop" version)" || die "$bin/looop does not run"

# --- PATH -------------------------------------------------------------------------------------
env_text="# looop's bin folder on PATH (written by install.sh; ./install.sh --uninstall removes it)
case \":\$PATH:\" in *\":$bin:\"*) ;; *) export PATH=\"$bin:\$PATH\" ;; esac"
if [ ! -f "$env_file" ] || [ "$(cat "$env_file")" != "$env_text" ]; then
  mkdir -p "$(dirname "$env_file")"
  printf '%s\n' "$env_text" > "$env_file"
  changed=1
fi
case ":$PATH:" in
  *":$bin:"*) on_path=1 ;;
  *) on_path=0 ;;
esac
if [ "$on_path" = 0 ]; then
  while IFS= read -r rc; do
    if ! { [ -f "$rc" ] && grep -qF '# looop: puts its bin folder on PATH' "$rc"; }; then
      printf '\n%s\n' "$rc_line" >> "$rc"
      say "added $bin to PATH for new shells (one line in $rc)"
      changed=1
    fi
  done < <(rc_files)
fi

say ""
if [ "$changed" = 0 ]; then
  say "$version is already installed at $bin/looop and up to date: nothing changed"
else
  say "$version installed: $bin/looop"
fi
if [ "$on_path" = 0 ]; then
  say "In this shell, run once:  . \"\$HOME/.local/share/looop/env\"   (new shells have it already)"
fi
say ""
say "Next: looop demo      (an offline tour: a worker in tmux raises a flag you answer)"
say "then: looop           (your loop; its first worker interviews you to set up PLAYBOOK and goals)"
say "Remove it with: ./install.sh --uninstall"
