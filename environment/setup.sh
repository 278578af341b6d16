#!/usr/bin/env bash
# Prepares this machine for FisherKit: system packages, native library, .NET build, web assets, data.
# Idempotent: every step checks before it acts, and is quiet when there is nothing to do.
# Usage: environment/setup.sh [--quiet]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export FK_ROOT="$(cd "$here/.." && pwd)"
export FK_CACHE="${FK_CACHE:-$FK_ROOT/data/cache}"
# shellcheck source=environment/lib.sh
source "$here/lib.sh"
for step in "$here"/setup.d/*.sh; do
  # shellcheck disable=SC1090
  source "$step"
done
