# Restore and build the solution. The native library is built (incrementally) by the
# FisherKit.Torch project itself, so `dotnet build` alone is enough after the packages above.
if [ "${FK_SKIP_BUILD:-0}" != "1" ]; then
  (cd "$FK_ROOT" && dotnet build FisherKit.sln -c Release -nologo -clp:ErrorsOnly -v:q >/dev/null) || {
    fk_log "build failed; rerun: dotnet build FisherKit.sln -c Release"
    (cd "$FK_ROOT" && dotnet build FisherKit.sln -c Release -nologo -clp:ErrorsOnly -v:q | tail -n 40)
    exit 1
  }
fi
