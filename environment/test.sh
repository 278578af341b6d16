#!/usr/bin/env bash
# The test command of the project (README): set up, build, run every test project, then execute
# every notebook in quick mode. Safe to run twice. Usage: environment/test.sh [--filter EXPR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
FK_TESTING=1 environment/setup.sh
filter=()
if [ "${1:-}" = "--filter" ]; then filter=(--filter "$2"); fi
dotnet test FisherKit.sln -c Release --no-build -nologo "${filter[@]}" --logger "console;verbosity=minimal"
if [ ${#filter[@]} -eq 0 ] && compgen -G "notebooks/*.ipynb" >/dev/null; then
  ./fisherkit run notebooks/*.ipynb -p quick=true -o out/notebooks-quick
fi
