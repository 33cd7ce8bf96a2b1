#!/usr/bin/env bash
# Installs looop from this checkout. Safe to run again: it checks, fixes what it can, and says what it
# could not. Needs Node >= 20 and tmux >= 3.2 (tmux is installed with your package manager if it can).
#
#   ./install.sh                      # global npm prefix if writable, else ~/.local
#   LOOOP_PREFIX=~/opt ./install.sh   # into a prefix of your choice (looop lands in $LOOOP_PREFIX/bin)
#   LOOOP_INSTALL_NO_PKG=1            # never call the system package manager; only say what to run
set -euo pipefail

say() { printf '%s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
[ -f package.json ] && [ -d src ] || die "run me from a looop checkout (no package.json/src next to $0)"

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
fi
say "building..."
npm run build --silent
[ -x dist/looop.mjs ] || die "the build did not produce dist/looop.mjs"

# --- install ----------------------------------------------------------------------------------
if [ -n "${LOOOP_PREFIX:-}" ]; then
  prefix="$LOOOP_PREFIX"
else
  prefix="$(npm prefix -g 2>/dev/null || true)"
  if [ -z "$prefix" ] || ! { [ -w "$prefix/lib/node_modules" ] || { [ ! -e "$prefix/lib/node_modules" ] && [ -w "$prefix" ]; }; }; then
    prefix="$HOME/.local"
  fi
fi
mkdir -p "$prefix"
prefix="$(cd "$prefix" && pwd)"
say "installing looop into $prefix (a link to this checkout; keep it where it is)..."
# Already built above, so no lifecycle scripts; npm's chatter is shown only if it fails.
if ! out="$(npm install -g --prefix "$prefix" --ignore-scripts --no-audit --no-fund . 2>&1)"; then
  printf '%s\n' "$out" >&2
  die "npm install -g --prefix $prefix failed"
fi
bin="$prefix/bin"
[ -x "$bin/looop" ] || die "npm did not put looop in $bin"
version="$("$bin/looop" version)" || die "$bin/looop does not run"

say ""
say "$version installed: $bin/looop"
case ":$PATH:" in
  *":$bin:"*) ;;
  *)
    rc="~/.profile"
    case "${SHELL:-}" in */zsh) rc="~/.zshrc" ;; */bash) rc="~/.bashrc" ;; esac
    say "$bin is not on your PATH; add it (e.g. in $rc):"
    say "  export PATH=\"$bin:\$PATH\""
    ;;
esac
say ""
say "Next: looop demo      (an offline tour: a worker in tmux raises a flag you answer)"
say "then: looop           (your loop; its first worker interviews you to set up PLAYBOOK and goals)"
