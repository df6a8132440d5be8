#!/usr/bin/env bash
# Vendor OpenSeadragon (the deep-zoom viewer of /photos/<id>/zoom) from the npm registry into
# static/vendor/openseadragon/: the minified build, its button images and its licence (BSD-3-Clause).
# The version and the package's sha256 are pinned here; raise both together to upgrade.
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
