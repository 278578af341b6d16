# TorchSharp (NuGet), made loadable on older Linux distributions.
# TorchSharp 0.107's libLibTorchSharp.so is built with GCC 13 and asks for GLIBCXX_3.4.32 for a single
# symbol, std::ios_base_library_init(); Debian 12 and Ubuntu 22.04 ship an older libstdc++, on which
# loading it fails ("version `GLIBCXX_3.4.32' not found"). Where, and only where, the system libstdc++
# lacks that version, the copy in the NuGet package folder (used by builds, tests and `#r "nuget: ..."`
# in notebook kernels alike) gets that requirement marked weak and, as a new dependency, a tiny library
# built here that defines the symbol. Idempotent; a no-op on systems with GCC 13's libstdc++.
fk_torchsharp_version="$(sed -n 's:.*<FkTorchSharpVersion>\(.*\)</FkTorchSharpVersion>.*:\1:p' "$FK_ROOT/Directory.Build.props")"

fk_torchsharp_restore() {
  (cd "$FK_ROOT" && dotnet restore FisherKit.sln -nologo -v:q >/dev/null) || {
    fk_log "dotnet restore failed; rerun: dotnet restore FisherKit.sln"
    (cd "$FK_ROOT" && dotnet restore FisherKit.sln -nologo -v:q | tail -n 20)
    return 1
  }
}

fk_torchsharp_fix_glibcxx() {
  local packages native lib compat stdcxx
  packages="${NUGET_PACKAGES:-$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')}"
  native="${packages%/}/torchsharp/$fk_torchsharp_version/runtimes/linux-x64/native"
  lib="$native/libLibTorchSharp.so"
  compat="$native/libfk_ios_base_library_init.so"
  [ -f "$lib" ] || { fk_log "ERROR: $lib is missing after the restore"; return 1; }
  # Every reader below reads its input to the end: one that stops early (awk's exit, grep -q) leaves the
  # writer a SIGPIPE, which pipefail turns into a failed set-up (exit code 141), depending on timing.
  stdcxx="$(/sbin/ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ && !found {print $NF; found = 1}')"
  [ -n "$stdcxx" ] || stdcxx=/usr/lib/x86_64-linux-gnu/libstdc++.so.6
  # Nothing to do where the system libstdc++ has the version, or where the fix is already in place.
  grep -qa 'GLIBCXX_3\.4\.32' "$stdcxx" && return 0
  if [ -f "$compat" ] && readelf -d "$lib" 2>/dev/null | grep "libfk_ios_base_library_init" >/dev/null; then return 0; fi
  fk_log "libstdc++ here lacks GLIBCXX_3.4.32: adapting TorchSharp $fk_torchsharp_version in $native"
  fk_apt_install g++ patchelf binutils
  g++ -shared -fPIC -O2 -o "$compat.tmp" "$FK_ROOT/environment/torchsharp-compat/ios_base_library_init.cpp"
  mv "$compat.tmp" "$compat"
  cp "$lib" "$lib.fk-tmp"
  local rc=0
  python3 "$FK_ROOT/environment/torchsharp-compat/weaken_version_need.py" "$lib.fk-tmp" GLIBCXX_3.4.32 || rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then rm -f "$lib.fk-tmp"; return 1; fi
  readelf -d "$lib.fk-tmp" | grep "libfk_ios_base_library_init" >/dev/null || patchelf --add-needed "$compat" "$lib.fk-tmp"
  mv "$lib.fk-tmp" "$lib"
  # Copies TorchSharp made next to its assembly when a notebook kernel first failed to load it.
  rm -rf "${packages%/}/torchsharp/$fk_torchsharp_version"/lib/*/cpu
}

fk_torchsharp_restore
fk_torchsharp_fix_glibcxx
unset fk_torchsharp_version
