#!/usr/bin/env bash
# The test command of the project (README): set up, build, execute every notebook in quick mode with
# `./fisherkit run` and again in the users' kernel, .NET Interactive's `.net-csharp` (same outputs, cell by
# cell), check that bench/README.md's generated tables match the committed results files they name, then
# run every test project. Every step runs even when an earlier one fails; the exit code is 1 when
# any failed. Safe to run twice.
# Usage: environment/test.sh [--filter EXPR]   (with a filter: only the matching tests, no notebooks)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
FK_TESTING=1 environment/setup.sh
filter=()
if [ "${1:-}" = "--filter" ]; then filter=(--filter "$2"); fi
failed=()
step() {
  local name="$1"; shift
  local started=$SECONDS
  echo "== $name" >&2
  if "$@"; then echo "== $name: passed in $((SECONDS - started)) s" >&2
  else echo "== $name: FAILED in $((SECONDS - started)) s" >&2; failed+=("$name"); fi
}
if [ ${#filter[@]} -eq 0 ] && compgen -G "notebooks/*.ipynb" >/dev/null; then
  # First, so that the test projects find trained weights and data sets in the caches.
  step "notebooks, quick, ./fisherkit run" ./fisherkit run notebooks/*.ipynb -p quick=true -o out/notebooks-quick
  # The users' kernel in a German locale (decimal comma): --compare masks digits but keeps separators, so any
  # number whose text depends on the machine's culture shows up as a difference from the run above.
  step "notebooks, quick, .net-csharp, German locale" env LANG=de_DE.UTF-8 environment/notebooks-in-dotnet-interactive.py notebooks/*.ipynb \
    -p quick=true -o out/notebooks-quick-dotnet-interactive --compare out/notebooks-quick
  environment/notebook-times.py --quick out/notebooks-quick >&2 || true
fi
if [ ${#filter[@]} -eq 0 ]; then
  step "bench/README.md against bench/measured/" python3 bench/readme_tables.py --check
fi
# glibc fills every block it hands out with non-zero bytes (MALLOC_PERTURB_): FisherKit keeps freed memory
# for reuse (HostAllocator), so a kernel that read memory it never wrote would get stale values, and a test fails.
step "test projects" env MALLOC_PERTURB_=165 dotnet test FisherKit.sln -c Release --no-build -nologo "${filter[@]}" --logger "console;verbosity=minimal"
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "all passed" >&2
