# Build the solution (packages were restored, and TorchSharp adapted where needed, by 10-torchsharp.sh).
if [ "${FK_SKIP_BUILD:-0}" != "1" ]; then
  (cd "$FK_ROOT" && dotnet build FisherKit.sln -c Release --no-restore -nologo -clp:ErrorsOnly -v:q >/dev/null) || {
    fk_log "build failed; rerun: dotnet build FisherKit.sln -c Release"
    (cd "$FK_ROOT" && dotnet build FisherKit.sln -c Release --no-restore -nologo -clp:ErrorsOnly -v:q | tail -n 40)
    exit 1
  }
fi
