# Regression data sets from Debian packages, unpacked into $FK_CACHE/tabular without installing them:
# Boston housing and Diabetes (python3-sklearn), Concrete (r-cran-modeldata, an R lazy-load database read
# by FisherKit.Data.Tabular; its xz entries are decoded with liblzma5, part of every Debian system).
fk_tabular_dir="$FK_CACHE/tabular"
fk_tabular_files=(boston_house_prices.csv diabetes_data_raw.csv.gz diabetes_target.csv.gz modeldata/Rdata.rdb modeldata/Rdata.rdx)
fk_tabular_missing=0
for f in "${fk_tabular_files[@]}"; do [ -s "$fk_tabular_dir/$f" ] || fk_tabular_missing=1; done
if [ "$fk_tabular_missing" = 1 ]; then
  fk_log "unpacking the regression data sets into $fk_tabular_dir"
  fk_apt_install liblzma5
  fk_tmp="$(mktemp -d)"
  if ! (cd "$fk_tmp" && apt-get download python3-sklearn r-cran-modeldata >/dev/null 2>&1); then
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq >/dev/null
    (cd "$fk_tmp" && apt-get download python3-sklearn r-cran-modeldata >/dev/null 2>&1)
  fi
  mkdir -p "$fk_tabular_dir/modeldata" "$fk_tmp/x"
  sk=./usr/lib/python3/dist-packages/sklearn/datasets/data
  dpkg-deb --fsys-tarfile "$fk_tmp"/python3-sklearn_*.deb | tar -x -C "$fk_tmp/x" \
    "$sk/boston_house_prices.csv" "$sk/diabetes_data_raw.csv.gz" "$sk/diabetes_target.csv.gz"
  dpkg-deb -x "$fk_tmp"/r-cran-modeldata_*.deb "$fk_tmp/x"
  cp "$fk_tmp/x/$sk"/boston_house_prices.csv "$fk_tmp/x/$sk"/diabetes_*.csv.gz "$fk_tabular_dir/"
  cp "$fk_tmp"/x/usr/lib/R/site-library/modeldata/data/Rdata.rd[bx] "$fk_tabular_dir/modeldata/"
  rm -rf "$fk_tmp"
fi
unset fk_tabular_dir fk_tabular_files fk_tabular_missing fk_tmp sk
