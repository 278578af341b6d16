# The FisherKit NuGet package in the local feed out/packages (src/FisherKit.Package: FisherKit, FisherKit.Plotting,
# plotly.js and the .NET Interactive extension; depends on TorchSharp, not on a backend), for users' own
# notebooks: #i "nuget: <repository>/out/packages"  then  #r "nuget: FisherKit, *-*".
#
# Versions. A package is packed only when what goes into it changed: the SHA-256 of the packed files (the
# builds are deterministic, so the same sources give the same bytes) is kept in out/packages/.fisherkit.sha256.
# Each new content gets a new, higher version, 0.1.0-dev.<Unix time of the pack>, so a rebuilt package is never
# shadowed by a stale copy that NuGet keeps in its global packages folder under the old version (NuGet never
# looks at a package again once that version is there); "*-*" picks the newest. Older FisherKit packages are
# removed from the feed, and should the new version already be in the global packages folder it is removed
# from there. A kernel that loaded an older version keeps it until it restarts.
# Needs the Release build of src/FisherKit (50-build.sh); FK_SKIP_BUILD=1 skips this step too.
if [ -z "${FK_ROOT:-}" ]; then
  set -euo pipefail
  FK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  # shellcheck source=environment/lib.sh
  source "$FK_ROOT/environment/lib.sh"
fi

fk_package() {
  local feed="$FK_ROOT/out/packages" lib="$FK_ROOT/out/bin/FisherKit/Release/net10.0" hash state version packages f
  local files=("$lib/FisherKit.dll" "$lib/FisherKit.xml" "$lib/FisherKit.Plotting.dll" "$lib/FisherKit.Plotting.xml"
               "$lib/plotly/plotly.min.js" "$lib/FisherKit.Interactive.dll" "$FK_ROOT/src/FisherKit.Package/FisherKit.Package.csproj")
  for f in "${files[@]}"; do
    [ -f "$f" ] || { fk_log "ERROR: $f is missing; build first (dotnet build src/FisherKit -c Release)"; return 1; }
  done
  hash="$(for f in "${files[@]}"; do printf '%s %s\n' "${f#"$FK_ROOT/"}" "$(sha256sum < "$f" | cut -d' ' -f1)"; done | sha256sum | cut -d' ' -f1)"
  state="$feed/.fisherkit.sha256"
  if [ -f "$state" ]; then
    read -r _ version < "$state" || true
    if grep -q "^$hash " "$state" && [ -f "$feed/FisherKit.$version.nupkg" ]; then return 0; fi
  fi
  version="0.1.0-dev.$(date -u +%s)"
  fk_log "packing FisherKit $version into $feed"
  mkdir -p "$feed"
  (cd "$FK_ROOT" && dotnet pack src/FisherKit.Package -c Release --no-restore -nologo -v:q -clp:ErrorsOnly \
      -p:FkPackageVersion="$version" -o "$feed.tmp" >/dev/null) || {
    fk_log "dotnet pack failed; rerun: dotnet pack src/FisherKit.Package -c Release -p:FkPackageVersion=$version"
    rm -rf "$feed.tmp"
    return 1
  }
  find "$feed" -maxdepth 1 -name 'FisherKit.[0-9]*.nupkg' -delete
  mv "$feed.tmp/FisherKit.$version.nupkg" "$feed/"
  rm -rf "$feed.tmp"
  packages="${NUGET_PACKAGES:-$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')}"
  rm -rf "${packages%/}/fisherkit/$version"
  printf '%s %s\n' "$hash" "$version" > "$state.tmp"
  mv "$state.tmp" "$state"
}

if [ "${FK_SKIP_BUILD:-0}" != "1" ]; then
  fk_package
fi
