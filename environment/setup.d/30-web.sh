# Web assets for figures: plotly.js (npm `plotly.js-dist-min`, cached under data/cache/npm and
# inlined into offline HTML; never loaded from a CDN) and Debian's headless Chromium, which renders
# figures to PNG/SVG and runs the browser tests. Quiet when everything is already in place.
fk_plotly_version="4.1.2"
fk_plotly_dir="$FK_CACHE/npm/node_modules/plotly.js-dist-min"
if [ ! -f "$fk_plotly_dir/plotly.min.js" ] || \
   ! grep -q "\"version\": *\"$fk_plotly_version\"" "$fk_plotly_dir/package.json" 2>/dev/null; then
  command -v npm >/dev/null 2>&1 || fk_apt_install npm
  fk_log "fetching plotly.js-dist-min@$fk_plotly_version into $FK_CACHE/npm"
  mkdir -p "$FK_CACHE/npm"
  (cd "$FK_CACHE/npm" && npm install --silent --no-audit --no-fund --no-save --no-package-lock \
      --prefix "$FK_CACHE/npm" "plotly.js-dist-min@$fk_plotly_version" >/dev/null 2>&1) || {
    fk_log "npm install plotly.js-dist-min@$fk_plotly_version failed"
    return 1
  }
fi
unset fk_plotly_version fk_plotly_dir

# Chromium with the fonts plotly.js needs to measure text.
fk_apt_install chromium fonts-liberation
