#!/usr/bin/env bash
# Installs Debian's Chromium 150 next to the system Chromium, as a second browser for tests
# that need a command Chromium 156 no longer has (Storage.runBounceTrackingMitigations).
#
#   bash scripts/install-chromium-150.sh [DEST]
#   CHROMIUM_150=$(bash scripts/install-chromium-150.sh)     # stdout: the executable path only
#
# DEST defaults to <repo>/.browsers/chromium-150. The packages chromium and chromium-common
# (both =150.0.7871.100-1~deb12u1) are fetched with `apt-get download` and unpacked with
# `dpkg -x` into DEST: nothing is installed through dpkg, so /usr/bin/chromium (156) stays.
# Idempotent: a DEST that already holds a working 150 is reused (nothing is downloaded).
# If shared libraries are missing (no system chromium installed) and we are root, the runtime
# dependencies listed by the package are installed with apt-get (not chromium itself).
#
# Use the printed path, <DEST>/usr/lib/chromium/chromium, never <DEST>/usr/bin/chromium: that
# Debian wrapper script hard-codes /usr/lib/chromium/chromium and would start the system 156.
#
# Progress goes to stderr; on success the executable path is the only line on stdout.
# On failure a loud message goes to stderr and the exit status is non-zero.
set -Eeuo pipefail

readonly VERSION='150.0.7871.100-1~deb12u1'
readonly EXPECT_VERSION_TEXT='Chromium 150.0.7871.100'
readonly PACKAGES=(chromium chromium-common)

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/.." && pwd)
DEST=${1:-"$REPO_DIR/.browsers/chromium-150"}
case "$DEST" in /*) ;; *) DEST="$PWD/$DEST" ;; esac
DEST=${DEST%/}
EXE="$DEST/usr/lib/chromium/chromium"

log() { printf '[install-chromium-150] %s\n' "$*" >&2; }

die() {
  trap - ERR
  {
    echo
    echo '################################################################################'
    echo '##  FAILED: could not install Chromium 150 (Debian chromium='"$VERSION"')'
    echo "##  $*"
    echo "##  Destination: $DEST"
    echo '##  Needs: Debian bookworm apt sources (deb.debian.org bookworm/main), apt-get,'
    echo '##  dpkg, and root for installing missing shared libraries. Tests that need'
    echo '##  Chromium 150 (Storage.runBounceTrackingMitigations) cannot run without it.'
    echo '################################################################################'
    echo
  } >&2
  exit 1
}
trap 'die "unexpected error at line $LINENO (exit status $?): see the messages above"' ERR

# Prints the names of shared libraries the binary cannot find (empty when all are there).
missing_libs() {
  { ldd "$EXE" 2>/dev/null || true; } | awk '/not found/ {print $1}' | sort -u
}

# True when DEST holds a runnable Chromium 150.
works() {
  [ -x "$EXE" ] || return 1
  [ -z "$(missing_libs)" ] || return 1
  local v
  v=$("$EXE" --version 2>/dev/null) || return 1
  case "$v" in "$EXPECT_VERSION_TEXT"*) return 0 ;; *) return 1 ;; esac
}

# Installs the runtime dependencies named in the chromium .deb's Depends field.
install_runtime_deps() {
  local deb=$1 deps=()
  [ "$(id -u)" = 0 ] || die "missing shared libraries ($(missing_libs | tr '\n' ' ')) and not root: install chromium's dependencies (e.g. apt-get install chromium) and rerun"
  # "libfoo (>= 1), libbar | libbaz, chromium-common (= v)" -> "libfoo libbar"
  read -r -a deps <<<"$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed -e 's/|.*//' -e 's/(.*)//' -e 's/[[:space:]]//g' \
    | grep -v -e '^$' -e '^chromium' | tr '\n' ' ')"
  log "installing runtime libraries: ${deps[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${deps[@]}" >&2 \
    || die "apt-get install of chromium's runtime libraries failed"
}

# Serialise concurrent runs (e.g. parallel CI jobs) on the same DEST.
mkdir -p "$(dirname "$DEST")" || die "cannot create $(dirname "$DEST")"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$DEST.lock"
  flock 9
fi

if works; then
  log "already installed: $("$EXE" --version 2>/dev/null)"
  printf '%s\n' "$EXE"
  exit 0
fi

command -v apt-get >/dev/null 2>&1 || die 'apt-get not found: this script needs Debian (bookworm) packages'
command -v dpkg-deb >/dev/null 2>&1 || die 'dpkg-deb not found'

WORK=$(mktemp -d "${TMPDIR:-/tmp}/chromium-150.XXXXXX")
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
# apt drops privileges to _apt for downloads; let it write here (avoids a warning as root).
chmod 777 "$WORK"

download() {
  local specs=() p
  for p in "${PACKAGES[@]}"; do specs+=("$p=$VERSION"); done
  (cd "$WORK" && apt-get download -q "${specs[@]}") >&2
}

log "downloading ${PACKAGES[*]} $VERSION"
if ! download; then
  if [ "$(id -u)" = 0 ]; then
    log 'not in the package lists: running apt-get update and trying again'
    apt-get update -qq >&2 || die 'apt-get update failed (no access to the Debian archive?)'
    download || die "apt-get download chromium=$VERSION chromium-common=$VERSION failed; see: apt-cache madison chromium chromium-common"
  else
    die "apt-get download failed; as root, run apt-get update first (apt-cache madison chromium should list $VERSION)"
  fi
fi

STAGE="$DEST.partial.$$"
rm -rf "$STAGE"
mkdir -p "$STAGE"
for p in "${PACKAGES[@]}"; do
  debs=("$WORK/${p}_"*.deb)
  deb=${debs[0]}
  [ -f "$deb" ] || die "downloaded package file for $p not found in $WORK"
  dpkg-deb -x "$deb" "$STAGE" || die "dpkg-deb -x $deb failed"
done
[ -x "$STAGE/usr/lib/chromium/chromium" ] || die 'the packages did not contain usr/lib/chromium/chromium'
printf '%s\n' "$VERSION" >"$STAGE/DEBIAN-VERSION"

# Swap in the finished tree (a half-extracted DEST is never left behind).
rm -rf "$DEST"
mv "$STAGE" "$DEST"

if [ -n "$(missing_libs)" ]; then
  log "missing shared libraries: $(missing_libs | tr '\n' ' ')"
  debs=("$WORK"/chromium_*.deb)
  install_runtime_deps "${debs[0]}"
  [ -z "$(missing_libs)" ] || die "still missing shared libraries after apt-get: $(missing_libs | tr '\n' ' ')"
fi

works || die "the extracted binary does not run: $("$EXE" --version 2>&1 | head -n5)"
log "installed: $("$EXE" --version 2>/dev/null)"
printf '%s\n' "$EXE"
