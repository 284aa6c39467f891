#!/usr/bin/env bash
# Re-fetch the dashboard's JavaScript/CSS/map assets from npm and vendor them into the
# package, so `factledger serve` works offline (no CDN, no tile server).
#
#   scripts/vendor-assets.sh            # fetch the versions pinned below
#
# Each package lands in src/factledger/web/static/vendor/<name>/ with its LICENSE file;
# the versions are recorded in src/factledger/web/static/vendor/VERSIONS.json.
# After an upgrade: run the browser tests (tests/test_web_browser.py) and re-take the
# screenshots (scripts/screenshots.py).
set -euo pipefail
cd "$(dirname "$0")/.."

# name@version -> files to keep (paths inside the npm package)
declare -A FILES=(
  ["leaflet@1.9.4"]="dist/leaflet.js dist/leaflet.css dist/images/marker-icon.png dist/images/marker-icon-2x.png dist/images/marker-shadow.png LICENSE"
  ["chart.js@4.6.1"]="dist/chart.umd.min.js LICENSE.md"
  ["topojson-client@3.1.0"]="dist/topojson-client.min.js LICENSE"
  ["world-atlas@2.0.2"]="countries-50m.json LICENSE"
)

DEST=src/factledger/web/static/vendor
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

rm -rf "$DEST"
mkdir -p "$DEST"
echo "{" > "$TMP/versions.json"
first=1
for spec in $(printf '%s\n' "${!FILES[@]}" | sort); do
  name=${spec%@*}
  version=${spec##*@}
  (cd "$TMP" && npm pack --silent "$spec" > /dev/null)
  tarball=$(ls "$TMP"/*.tgz)
  mkdir -p "$TMP/unpacked"
  tar -xzf "$tarball" -C "$TMP/unpacked"
  for f in ${FILES[$spec]}; do
    mkdir -p "$DEST/$name/$(dirname "$f")"
    cp "$TMP/unpacked/package/$f" "$DEST/$name/$f"
  done
  license=$(node -p "require('$TMP/unpacked/package/package.json').license")
  [ $first -eq 1 ] || echo "," >> "$TMP/versions.json"
  first=0
  printf '  "%s": {"version": "%s", "license": "%s"}' "$name" "$version" "$license" >> "$TMP/versions.json"
  rm -rf "$TMP/unpacked" "$tarball"
done
printf '\n}\n' >> "$TMP/versions.json"
cp "$TMP/versions.json" "$DEST/VERSIONS.json"
echo "vendored into $DEST:"
cat "$DEST/VERSIONS.json"
