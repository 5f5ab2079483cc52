# Sourced by the headless-GIMP tests of the Sparse Bokeh filter
# (test-plugin.sh, test-kept-effect.sh), which take the same arguments:
#   PLUG-IN-EXE GEGL-MODULE GEGL-REFERENCE SKC
# env: SKC_TEST_DATA (tests/data), SKC_SOURCE_ROOT (for presets);
# SKC_TEST_KEEP=DIR keeps the outputs and GIMP's logs there for a look.
# Sets plugin, module, ref, skc, data, src, photo, gimp and work (the
# current folder from here on), skips (exit 77) without gimp-console-3.0,
# and provides ok/bad with their counters pass/fail.
set -u
plugin=$1
module=$2
ref=$3
skc=$4
data=${SKC_TEST_DATA:?}
src=${SKC_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
photo=$data/coffee.png

gimp=$(command -v gimp-console-3.0 || true)
if [ -z "$gimp" ]; then
  echo "SKIP: no gimp-console-3.0"
  exit 77
fi

if [ -n "${SKC_TEST_KEEP:-}" ]; then
  work=$SKC_TEST_KEEP
  rm -rf "$work" && mkdir -p "$work" && echo "outputs in $work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
cd "$work"

pass=0
fail=0
ok () { pass=$((pass + 1)); }
bad () { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
