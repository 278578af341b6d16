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
