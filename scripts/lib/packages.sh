# Debian packages that scripts/ installs, by purpose. Sourced by the scripts that install them and by
# scripts/audit-tools.mjs, which accepts a package touched by the build or the tests only when a new
# machine has it (scripts/fresh-machine/debian-packages.txt) or it is listed here (with what apt
# pulls in for it). A package used but not listed is a missing install step, even where someone
# installed it by hand.

# Building the N-API addon: rustc links a cdylib through `cc`, which needs gcc and the C library's
# development files. rustc and cargo are Debian's when rustup is absent (crates keep to Rust 1.63).
ACME_NATIVE_PACKAGES=(gcc libc6-dev)
ACME_RUST_PACKAGES=(rustc cargo)

# Building the wasm module: rustup here has no wasm32 target, so Debian's Rust 1.63 with its wasm32
# standard library builds it, and links it with rust-lld. Debian's /usr/bin/rust-lld is a link to
# lld-14, which rustc only *recommends*: it must be named or a --no-install-recommends install
# leaves the link dangling.
ACME_WASM_PACKAGES=(rustc cargo libstd-rust-dev-wasm32 lld-14)

# CI: strace records what the build and the tests execute and open (scripts/audit-tools.mjs).
ACME_CI_PACKAGES=(strace)

# Running the tests under load (scripts/test-under-load.sh stress).
ACME_TEST_PACKAGES=(stress-ng)

# Installs the named Debian packages that are not installed yet, as root or through sudo, and says
# which. Nothing is printed and nothing is run when all of them are installed.
acme_apt_install() {
  local missing=() p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "error: installing Debian packages ${missing[*]} needs root; run as root or install them yourself" >&2
      return 1
    fi
  fi
  echo "  installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The package lists of a new machine may be empty or old: refresh them once per script run.
  if [ -z "${ACME_APT_UPDATED:-}" ]; then
    $sudo apt-get update -qq >/dev/null
    ACME_APT_UPDATED=1
  fi
  local log
  log="$(mktemp)"
  if ! $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}

# Prints the packages among the arguments that are not installed, one per line.
acme_apt_missing() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}
