#!/usr/bin/env bash
# Re-vendors the front-end libraries from the npm registry at pinned versions
# into static/vendor/. The result is committed; nothing is fetched at run time.
set -euo pipefail
BOOTSTRAP=5.3.8
HTMX=2.0.8
ICONS=1.13.1
ECHARTS=5.6.0
# Tom Select: the searchable people pickers (static/js/picker.js); the "complete" build bundles its plugins.
TOMSELECT=2.4.6
# axe-core is loaded only by the browser tests (accessibility checks), never by a page.
AXE=4.14.1
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "bootstrap@$BOOTSTRAP" "htmx.org@$HTMX" "bootstrap-icons@$ICONS" "echarts@$ECHARTS" "axe-core@$AXE" "tom-select@$TOMSELECT" >/dev/null
for f in *.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
rm -rf "$dest/bootstrap" "$dest/htmx" "$dest/bootstrap-icons" "$dest/echarts" "$dest/axe-core" "$dest/tom-select"
mkdir -p "$dest/bootstrap" "$dest/htmx" "$dest/bootstrap-icons/fonts" "$dest/echarts" "$dest/axe-core" "$dest/tom-select"
cp "bootstrap-$BOOTSTRAP/package/dist/css/bootstrap.min.css" "$dest/bootstrap/"
cp "bootstrap-$BOOTSTRAP/package/dist/js/bootstrap.bundle.min.js" "$dest/bootstrap/"
cp "bootstrap-$BOOTSTRAP/package/LICENSE" "$dest/bootstrap/LICENSE"
cp "htmx.org-$HTMX/package/dist/htmx.min.js" "$dest/htmx/"
cp "htmx.org-$HTMX/package/LICENSE" "$dest/htmx/LICENSE"
cp "bootstrap-icons-$ICONS/package/font/bootstrap-icons.min.css" "$dest/bootstrap-icons/"
cp "bootstrap-icons-$ICONS/package/font/fonts/bootstrap-icons.woff2" "$dest/bootstrap-icons/fonts/"
cp "bootstrap-icons-$ICONS/package/font/fonts/bootstrap-icons.woff" "$dest/bootstrap-icons/fonts/"
cp "bootstrap-icons-$ICONS/package/LICENSE" "$dest/bootstrap-icons/LICENSE"
cp "echarts-$ECHARTS/package/dist/echarts.min.js" "echarts-$ECHARTS/package/LICENSE" "echarts-$ECHARTS/package/NOTICE" "$dest/echarts/"
cp "axe-core-$AXE/package/axe.min.js" "$dest/axe-core/"
cp "axe-core-$AXE/package/LICENSE" "$dest/axe-core/LICENSE"
cp "tom-select-$TOMSELECT/package/dist/js/tom-select.complete.min.js" "$dest/tom-select/"
cp "tom-select-$TOMSELECT/package/dist/css/tom-select.bootstrap5.min.css" "$dest/tom-select/"
cp "tom-select-$TOMSELECT/package/LICENSE" "$dest/tom-select/LICENSE"
printf 'bootstrap %s\nhtmx.org %s\nbootstrap-icons %s\necharts %s\naxe-core %s\ntom-select %s\n' "$BOOTSTRAP" "$HTMX" "$ICONS" "$ECHARTS" "$AXE" "$TOMSELECT" > "$dest/VERSIONS"
echo "vendored into $dest"
