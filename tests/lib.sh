# What the shell tests share; each sources it first:
#   . "$(dirname "$0")/lib.sh"
#
#   ok, bad MSG            count a check in $pass or $fail (bad prints
#                          FAIL: MSG on stderr)
#   work_enter             $work: a fresh folder, removed at exit
#                          (SKC_TEST_KEEP=DIR: DIR, emptied and kept for a
#                          look at the outputs and logs); cd into it
#   need_gimp console|gui  $gimp: gimp-console-3.0, or gimp-3.0 with
#                          xvfb-run for the dialogs; exit 77 (skip) without
#   filter_test_args PLUG-IN-EXE GEGL-MODULE GEGL-REFERENCE
#                          the Sparse Bokeh filter tests' first arguments:
#                          sets plugin, module, ref, and data (SKC_TEST_DATA),
#                          src (SKC_SOURCE_ROOT or this checkout), photo
#   private_profile DIR    a GIMP of its own: HOME, XDG_CONFIG_HOME,
#                          XDG_CACHE_HOME, XDG_DATA_HOME and GIMP3_DIRECTORY
#                          in DIR/home, config, cache, data, gimp3 (created,
#                          with their plug-in folders); GEGL_PATH unset (it
#                          would replace GEGL's own module folders)
#   profile_module SO      the skc:bokeh module in the profile's GEGL folder
#   profile_plugin DIR     a built plug-in's folder in the profile's plug-ins
#   profile_plugin_exe EXE only the executable, in a folder of its name (no
#                          catalogue beside it: its messages stay English)
#   help_viewer            Help's README opens in a "viewer" that appends
#                          the URI it is given to $work/opened
set -u

# babl (GEGL's and GIMP's pixel conversions) picks a conversion chain by
# timing among those within its tolerance and keeps the choice in
# $XDG_CACHE_HOME/babl/babl-fishes, so two runs, or two GIMP sessions,
# could convert an 8-bit image differently by one code value.  Tolerance 0
# leaves it only its exact chains: the same pixels every time, so tests can
# compare runs for equality (test-plugin's cached fit, --max-diff 0).
export BABL_TOLERANCE=0

pass=0
fail=0
ok () { pass=$((pass + 1)); }
bad () { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

work_enter () {
  if [ -n "${SKC_TEST_KEEP:-}" ]; then
    work=$SKC_TEST_KEEP
    rm -rf "$work" && mkdir -p "$work" && echo "outputs in $work"
  else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
  fi
  cd "$work" || exit 1
}

need_gimp () {
  if [ "$1" = gui ]; then
    gimp=$(command -v gimp-3.0 || true)
    if [ -z "$gimp" ] || ! command -v xvfb-run >/dev/null; then
      echo "SKIP: needs gimp-3.0 and xvfb-run"
      exit 77
    fi
  else
    gimp=$(command -v gimp-console-3.0 || true)
    if [ -z "$gimp" ]; then
      echo "SKIP: no gimp-console-3.0"
      exit 77
    fi
  fi
}

filter_test_args () {
  plugin=$1
  module=$2
  ref=$3
  data=${SKC_TEST_DATA:?}
  src=${SKC_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
  photo=$data/coffee.png
}

private_profile () {
  export HOME=$1/home XDG_CONFIG_HOME=$1/config XDG_CACHE_HOME=$1/cache \
         XDG_DATA_HOME=$1/data GIMP3_DIRECTORY=$1/gimp3
  unset GEGL_PATH
  mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME/gegl-0.4/plug-ins" \
           "$GIMP3_DIRECTORY/plug-ins"
}

profile_module () {
  ln -s "$1" "$XDG_DATA_HOME/gegl-0.4/plug-ins/"
}

profile_plugin () {
  ln -s "$1" "$GIMP3_DIRECTORY/plug-ins/$(basename "$1")"
}

profile_plugin_exe () {
  local name
  name=$(basename "$1")
  mkdir -p "$GIMP3_DIRECTORY/plug-ins/$name"
  ln -s "$1" "$GIMP3_DIRECTORY/plug-ins/$name/$name"
}

help_viewer () {
  mkdir -p "$XDG_DATA_HOME/applications" "$XDG_CONFIG_HOME"
  printf '#!/bin/sh\necho "$1" >>%s/opened\n' "$work" >"$work/viewer.sh"
  chmod +x "$work/viewer.sh"
  printf '[Desktop Entry]\nType=Application\nName=Viewer\nExec=%s/viewer.sh %%u\nMimeType=text/markdown;text/plain;\n' \
    "$work" >"$XDG_DATA_HOME/applications/skc-test-viewer.desktop"
  printf '[Default Applications]\ntext/markdown=skc-test-viewer.desktop\ntext/plain=skc-test-viewer.desktop\n' \
    >"$XDG_CONFIG_HOME/mimeapps.list"
}
