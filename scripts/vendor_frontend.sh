#!/usr/bin/env bash
# Refresh the vendored GOV.UK Frontend and MOJ Frontend assets from npm.
#
# The app never needs Node at run time: the compiled CSS, JS, fonts-free images
# and icons are committed under static/vendor/. Run this (it needs npm) when
# moving to a newer release, then commit the result.
#
#   scripts/vendor_frontend.sh [GOVUK_VERSION] [MOJ_VERSION]
set -euo pipefail

GOVUK_VERSION="${1:-5.14.0}"   # newest 5.x: the major line crispy-forms-gds targets
MOJ_VERSION="${2:-8.0.1}"      # 8.x: its peer range is govuk-frontend ^5.11

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "govuk-frontend@$GOVUK_VERSION" "@ministryofjustice/frontend@$MOJ_VERSION" >/dev/null
mkdir govuk moj
tar -xzf govuk-frontend-*.tgz -C govuk --strip-components=1
tar -xzf ministryofjustice-frontend-*.tgz -C moj --strip-components=1

rm -rf "$dest/govuk-frontend" "$dest/moj-frontend"
mkdir -p "$dest/govuk-frontend" "$dest/moj-frontend"

# GOV.UK Frontend: the precompiled bundle and its assets (images, manifest).
# The GDS Transport font is restricted to gov.uk domains, so it is left out:
# our own stylesheet sets Arial/Liberation Sans.
g="govuk/dist/govuk"
cp "$g"/govuk-frontend.min.css "$g"/govuk-frontend.min.js "$dest/govuk-frontend/"
mkdir -p "$dest/govuk-frontend/assets"
cp -r "$g"/assets/images "$dest/govuk-frontend/assets/"
cp "$g"/assets/manifest.json "$dest/govuk-frontend/assets/" 2>/dev/null || true
cp govuk/LICENSE.txt "$dest/govuk-frontend/" 2>/dev/null || true

# MOJ Frontend: precompiled bundle plus its icons.
m="moj/moj"
cp "$m"/moj-frontend.min.css "$m"/moj-frontend.min.js "$dest/moj-frontend/"
if [ -d "$m/assets/images" ]; then
  mkdir -p "$dest/moj-frontend/assets"
  cp -r "$m"/assets/images "$dest/moj-frontend/assets/"
fi
cp moj/LICENSE.txt "$dest/moj-frontend/" 2>/dev/null || true

# Point asset URLs at the copies beside each stylesheet, drop the GDS
# Transport @font-face rules and fall back to Arial/Liberation Sans.
for css in "$dest/govuk-frontend/govuk-frontend.min.css" "$dest/moj-frontend/moj-frontend.min.css"; do
  perl -0pi -e 's#url\(/assets/#url(assets/#g; s#\@font-face\{[^}]*\}##g; s#"?GDS Transport"?,##g' "$css"
done

# The source maps are not vendored, so drop the comments that point at them
# (collectstatic's manifest storage would otherwise fail looking for them).
for f in "$dest"/govuk-frontend/*.min.css "$dest"/moj-frontend/*.min.css; do
  perl -0pi -e 's#/\*\# sourceMappingURL=[^*]*\*/##g' "$f"
done
for f in "$dest"/govuk-frontend/*.min.js "$dest"/moj-frontend/*.min.js; do
  perl -0pi -e 's#//\# sourceMappingURL=\S+##g' "$f"
done

printf 'govuk-frontend %s\n@ministryofjustice/frontend %s\n' "$GOVUK_VERSION" "$MOJ_VERSION" > "$dest/VERSIONS"
echo "Vendored into $dest:"
cat "$dest/VERSIONS"
