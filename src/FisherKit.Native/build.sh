#!/usr/bin/env bash
# Configures (once per libtorch choice) and builds the native shim incrementally into $1.
# Called by FisherKit.Torch.csproj, so `dotnet build` is all a user runs.
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: build.sh <build-dir>}"
mkdir -p "$out"
exec 9>"$out/.lock"
flock 9   # parallel project builds share one native build

if ! command -v cmake >/dev/null 2>&1; then
  echo "FisherKit.Native: cmake not found. Run environment/setup.sh (installs cmake, g++, libtorch-dev)." >&2
  exit 1
fi
want="LIBTORCH=${LIBTORCH:-} Torch_DIR=${Torch_DIR:-}"
if [ ! -f "$out/CMakeCache.txt" ] || [ "$(cat "$out/.torch-choice" 2>/dev/null)" != "$want" ]; then
  rm -rf "$out/CMakeCache.txt" "$out/CMakeFiles"
  args=(-DCMAKE_BUILD_TYPE=Release)
  [ -n "${Torch_DIR:-}" ] && args+=("-DTorch_DIR=$Torch_DIR")
  if ! cmake -S "$src" -B "$out" "${args[@]}" >"$out/configure.log" 2>&1; then
    tail -n 30 "$out/configure.log" >&2
    echo "FisherKit.Native: libtorch was not found. Run environment/setup.sh (Debian libtorch-dev), or set LIBTORCH to an unpacked libtorch / a Python torch folder, or Torch_DIR to the folder holding TorchConfig.cmake." >&2
    exit 1
  fi
  echo "$want" >"$out/.torch-choice"
fi
if ! cmake --build "$out" -j"$(nproc)" >"$out/build.log" 2>&1; then
  grep -E "error|Error" "$out/build.log" | head -n 40 >&2 || tail -n 40 "$out/build.log" >&2
  echo "FisherKit.Native: native build failed (full log: $out/build.log)" >&2
  exit 1
fi
