# The users' notebook kernel: .NET Interactive (`Microsoft.dotnet-interactive`, pinned as a local tool in
# .config/dotnet-tools.json) and its Jupyter kernelspec `.net-csharp`, written so that the kernel
#   - runs that pinned tool by absolute path (any working directory, no global tool, no PATH lookup of it),
#   - serves its HTTP API on the loopback address only (`--http-local-only`; without it the tool listens
#     on port 2048 of every interface),
#   - sends no telemetry (DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT=1; DOTNET_CLI_TELEMETRY_OPTOUT does not
#     stop the tool's own telemetry).
# Where: $FK_JUPYTER_PREFIX/share/jupyter/kernels when FK_JUPYTER_PREFIX is set (a Python environment),
# else the user's Jupyter data folder ($JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter or
# ~/.local/share/jupyter), as `jupyter kernelspec install --user` would. FK_DOTNET_INTERACTIVE=0 skips
# this step. Idempotent and quiet: nothing is restored or written when all is in place.
# Also runs on its own: bash environment/setup.d/65-dotnet-interactive.sh
if [ -z "${FK_ROOT:-}" ]; then
  set -euo pipefail
  FK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  # shellcheck source=environment/lib.sh
  source "$FK_ROOT/environment/lib.sh"
fi

fk_dotnet_interactive_version="$(sed -n '/microsoft.dotnet-interactive/,/}/s/.*"version": *"\([^"]*\)".*/\1/p' "$FK_ROOT/.config/dotnet-tools.json")"

# Prints the path of the tool's entry assembly in the NuGet package folder (empty when not restored).
fk_dotnet_interactive_dll() {
  local packages
  packages="${NUGET_PACKAGES:-$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')}"
  ls -1 "${packages%/}/microsoft.dotnet-interactive/$fk_dotnet_interactive_version"/tools/net*/any/Microsoft.DotNet.Interactive.App.dll 2>/dev/null | sort -V | tail -n 1 || true
}

fk_dotnet_interactive_setup() {
  local dll dotnet_host kernels dest tmp
  dll="$(fk_dotnet_interactive_dll)"
  if [ -z "$dll" ]; then
    fk_log "restoring the local tool Microsoft.dotnet-interactive $fk_dotnet_interactive_version (.config/dotnet-tools.json)"
    (cd "$FK_ROOT" && dotnet tool restore >/dev/null) || {
      fk_log "ERROR: dotnet tool restore failed; rerun in $FK_ROOT: dotnet tool restore"
      return 1
    }
    dll="$(fk_dotnet_interactive_dll)"
    [ -n "$dll" ] || { fk_log "ERROR: Microsoft.DotNet.Interactive.App.dll not found after dotnet tool restore"; return 1; }
  fi
  dotnet_host="$(command -v dotnet)"
  if [ -n "${FK_JUPYTER_PREFIX:-}" ]; then
    kernels="$FK_JUPYTER_PREFIX/share/jupyter/kernels"
  else
    kernels="${JUPYTER_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/jupyter}/kernels"
  fi
  dest="$kernels/.net-csharp"
  tmp="$(mktemp -d)"
  python3 - "$tmp/kernel.json" "$dotnet_host" "$dll" "$fk_dotnet_interactive_version" <<'PY'
import json, sys
path, dotnet, dll, version = sys.argv[1:5]
spec = {
    "argv": [dotnet, dll, "jupyter", "--default-kernel", "csharp",
             "--http-local-only", "--http-port-range", "2048-3000", "{connection_file}"],
    "display_name": ".NET (C#)",
    "language": "C#",
    "env": {"DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT": "1", "DOTNET_CLI_TELEMETRY_OPTOUT": "1"},
    "metadata": {
        "vscode": {"extension_id": "ms-dotnettools.dotnet-interactive-vscode", "kernel_id": "dotnet-interactive"},
        "fisherkit": {"tool": "Microsoft.dotnet-interactive " + version,
                      "written_by": "FisherKit environment/setup.d/65-dotnet-interactive.sh"},
    },
}
with open(path, "w", encoding="utf-8") as f:
    json.dump(spec, f, indent=2)
    f.write("\n")
PY
  if [ -f "$dest/kernel.json" ] && cmp -s "$tmp/kernel.json" "$dest/kernel.json"; then
    rm -rf "$tmp"
    return 0
  fi
  # The tool's own logos, from the kernelspecs it writes itself (best effort; a kernelspec needs none).
  mkdir -p "$tmp/tool"
  DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    timeout 120 "$dotnet_host" "$dll" jupyter install --path "$tmp/tool" >/dev/null 2>&1 || true
  cp "$tmp/tool/.net-csharp"/logo-*.png "$tmp/" 2>/dev/null || true
  rm -rf "$tmp/tool"
  if [ -f "$dest/kernel.json" ] && ! grep -q "65-dotnet-interactive.sh" "$dest/kernel.json"; then
    fk_log "replacing the kernelspec $dest (its kernel.json is kept there as kernel.json.before-fisherkit)"
    cp "$dest/kernel.json" "$tmp/kernel.json.before-fisherkit"
  else
    fk_log "kernelspec .net-csharp (Microsoft.dotnet-interactive $fk_dotnet_interactive_version, loopback-only HTTP, no telemetry) -> $dest"
  fi
  mkdir -p "$kernels"
  rm -rf "$dest.fk-tmp"
  mv "$tmp" "$dest.fk-tmp"
  chmod 755 "$dest.fk-tmp"
  rm -rf "$dest"
  mv "$dest.fk-tmp" "$dest"
}

if [ "${FK_DOTNET_INTERACTIVE:-1}" != "0" ]; then
  fk_dotnet_interactive_setup
fi
unset fk_dotnet_interactive_version
