#!/bin/sh
# Rebuilds the room's vendored browser code from npm at the exact versions in src/package.json
# (and src/package-lock.json): CodeMirror 6 bundled by esbuild into codemirror.min.js, and
# mermaid's own minified ES-module build copied into mermaid/. Run from anywhere; needs node and npm.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/src/package.json" "$here/src/package-lock.json" "$here/src/editor.js" "$work/"
cd "$work"
npm ci --no-audit --no-fund --ignore-scripts
# esbuild's binary comes from its platform package; --ignore-scripts skips only the postinstall check.
node_modules/.bin/esbuild editor.js --bundle --minify --format=esm --target=es2020 \
  --legal-comments=none --outfile="$here/codemirror.min.js"
rm -rf "$here/mermaid"
mkdir -p "$here/mermaid/chunks/mermaid.esm.min"
cp node_modules/mermaid/dist/mermaid.esm.min.mjs "$here/mermaid/"
cp node_modules/mermaid/dist/chunks/mermaid.esm.min/*.mjs "$here/mermaid/chunks/mermaid.esm.min/"
cp node_modules/mermaid/LICENSE "$here/mermaid/LICENSE"
# The source maps are left out: they would double the binary for no use in the room.
sed -i 's|^//# sourceMappingURL=.*$||' "$here/mermaid/mermaid.esm.min.mjs" "$here"/mermaid/chunks/mermaid.esm.min/*.mjs
echo "built: $(wc -c < "$here/codemirror.min.js") bytes of CodeMirror, $(du -sh "$here/mermaid" | cut -f1) of mermaid"
