#!/usr/bin/env bash
# Refresh the vendored browser libraries under static/vendor/ from the npm registry.
#
#   src/flashpoint/web/vendor.sh                    # the versions pinned below
#   YASGUI=4.7.0 CYTOSCAPE=3.36.0 CYTOSCAPE_DAGRE=4.0.2 src/flashpoint/web/vendor.sh
#
# Only the minified builds and their licences are copied; source maps are left out
# (and their sourceMappingURL comments stripped), so the pages ask for nothing that
# is not in the package. Run it, update the versions in static/vendor/README.md,
# load / and /graph of `flashpoint serve`, run tests/test_web.py, commit.
set -euo pipefail
YASGUI="${YASGUI:-4.6.2}"
CYTOSCAPE="${CYTOSCAPE:-3.35.0}"
CYTOSCAPE_DAGRE="${CYTOSCAPE_DAGRE:-4.0.1}"  # the layered layout; bundles @dagrejs/dagre
here="$(cd "$(dirname "$0")" && pwd)"
vendor="$here/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "@zazuko/yasgui@$YASGUI" "cytoscape@$CYTOSCAPE" "cytoscape-dagre@$CYTOSCAPE_DAGRE" >/dev/null
mkdir yasgui cytoscape cytoscape-dagre
tar -xzf zazuko-yasgui-"$YASGUI".tgz -C yasgui
tar -xzf cytoscape-"$CYTOSCAPE".tgz -C cytoscape
tar -xzf cytoscape-dagre-"$CYTOSCAPE_DAGRE".tgz -C cytoscape-dagre

# The npm package of @zazuko/yasgui ships no licence file (package.json: MIT); the
# vendored LICENSE (the text of the repository's) is kept across updates.
cp "$vendor/yasgui/LICENSE" yasgui-LICENSE
rm -rf "$vendor/yasgui" "$vendor/cytoscape" "$vendor/cytoscape-dagre"
mkdir -p "$vendor/yasgui" "$vendor/cytoscape" "$vendor/cytoscape-dagre"
sed '/^\/\/# sourceMappingURL=/d' yasgui/package/build/yasgui.min.js > "$vendor/yasgui/yasgui.min.js"
sed '/sourceMappingURL=/d' yasgui/package/build/yasgui.min.css > "$vendor/yasgui/yasgui.min.css"
cp yasgui-LICENSE "$vendor/yasgui/LICENSE"
sed '/^\/\/# sourceMappingURL=/d' cytoscape/package/dist/cytoscape.min.js > "$vendor/cytoscape/cytoscape.min.js"
cp cytoscape/package/LICENSE "$vendor/cytoscape/LICENSE"
sed '/^\/\/# sourceMappingURL=/d' cytoscape-dagre/package/dist/cytoscape-dagre.min.js > "$vendor/cytoscape-dagre/cytoscape-dagre.min.js"
cp cytoscape-dagre/package/LICENSE "$vendor/cytoscape-dagre/LICENSE"
du -sh "$vendor"/*/
echo "vendored @zazuko/yasgui@$YASGUI, cytoscape@$CYTOSCAPE, cytoscape-dagre@$CYTOSCAPE_DAGRE: update static/vendor/README.md"
