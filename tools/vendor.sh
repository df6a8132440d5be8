#!/usr/bin/env bash
# Vendor the browser libraries from the npm registry into static/vendor/ (no CDN at run time):
# - OpenSeadragon (the deep-zoom viewer of /photos/<id>/zoom): the minified build, its button
#   images and its licence (BSD-3-Clause);
# - Leaflet and Leaflet.markercluster (the map page /map and house mini-maps): dist js, css,
#   images and licences (BSD-2-Clause, MIT).
# Each version and package sha256 is pinned here; raise both together to upgrade.
# Needs npm (it only downloads the package; nothing is installed or built).
set -euo pipefail
VERSION=6.1.1
SHA256=b4ab2942f33b90e0448e4d20fc5ed14cee049f1f3ae49d70afd4b05e9a2f92d0

cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "openseadragon@$VERSION" --silent >/dev/null)
echo "$SHA256  $work/openseadragon-$VERSION.tgz" | sha256sum --check --quiet -
tar -xzf "$work/openseadragon-$VERSION.tgz" -C "$work"

dest=static/vendor/openseadragon
rm -rf "$dest"
mkdir -p "$dest"
cp "$work/package/build/openseadragon/openseadragon.min.js" "$dest/"
cp -r "$work/package/build/openseadragon/images" "$dest/"
cp "$work/package/LICENSE.txt" "$dest/"
echo "$VERSION" > "$dest/VERSION"
echo "OpenSeadragon $VERSION vendored into $dest"

# pack NAME VERSION SHA256: download and check one package, unpacked into $work/NAME/package.
pack() {
  (cd "$work" && npm pack "$1@$2" --silent >/dev/null)
  echo "$3  $work/$1-$2.tgz" | sha256sum --check --quiet -
  mkdir -p "$work/$1"
  tar -xzf "$work/$1-$2.tgz" -C "$work/$1"
}

LEAFLET=1.9.4
pack leaflet "$LEAFLET" 84c65a256e50657896f54c33bd857b6849ebe94c817803be818bf32a3dde0b77
dest=static/vendor/leaflet
rm -rf "$dest"
mkdir -p "$dest"
cp "$work"/leaflet/package/dist/{leaflet.js,leaflet.js.map,leaflet.css} "$dest/"
cp -r "$work/leaflet/package/dist/images" "$dest/"
cp "$work/leaflet/package/LICENSE" "$dest/"
echo "$LEAFLET" > "$dest/VERSION"
echo "Leaflet $LEAFLET vendored into $dest"

CLUSTER=1.5.3
pack leaflet.markercluster "$CLUSTER" fc6b0b1d00b6c708ae54e43ee4a11ac345e41660e19f0a570190bb35babb1a1c
dest=static/vendor/leaflet.markercluster
rm -rf "$dest"
mkdir -p "$dest"
cp "$work"/leaflet.markercluster/package/dist/{leaflet.markercluster.js,leaflet.markercluster.js.map} "$dest/"
cp "$work"/leaflet.markercluster/package/dist/{MarkerCluster.css,MarkerCluster.Default.css} "$dest/"
cp "$work/leaflet.markercluster/package/MIT-LICENCE.txt" "$dest/"
echo "$CLUSTER" > "$dest/VERSION"
echo "Leaflet.markercluster $CLUSTER vendored into $dest"
