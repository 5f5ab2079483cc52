#!/bin/sh
# meson install script: copy the built catalogues into each binary's data
# folder (each GIMP plug-in's folder, the skc:bokeh module's sparse-bokeh/)
# as locale/<lang>/LC_MESSAGES/sparse-bokeh.mo (GIMP 3 only accepts a
# catalog dir under the plug-in folder).  DESTDIR is honoured.
#
#   install-plugin-catalogs.sh BUILD_PO_DIR LANG[,LANG...] DATA_DIR...
set -eu
built=$1
langs=$2
shift 2
for dir in "$@"; do
  for lang in $(printf '%s\n' "$langs" | tr ',' ' '); do
    src="$built/$lang/LC_MESSAGES/sparse-bokeh.mo"
    dest="${DESTDIR:-}$dir/locale/$lang/LC_MESSAGES"
    [ -n "${MESON_INSTALL_QUIET:-}" ] || echo "Installing $src to $dest"
    mkdir -p "$dest"
    install -m 644 "$src" "$dest/sparse-bokeh.mo"
  done
done
