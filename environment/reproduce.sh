#!/usr/bin/env bash
# The main job (README): set up, then execute every notebook in full mode and render the report.
# Executed notebooks go to out/notebooks/, the static site to out/site/ (both git-ignored).
# Trained weights are cached under data/cache/ so a second run does not retrain.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
environment/setup.sh
./fisherkit run notebooks/*.ipynb -o out/notebooks "$@"
./fisherkit report out/notebooks/*.ipynb -o out/site
environment/notebook-times.py --full out/notebooks || true
echo "Executed notebooks: out/notebooks/   Report: out/site/index.html"
