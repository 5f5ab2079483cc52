#!/usr/bin/env bash
# The kernel editor's dialog in GIMP 3 under Xvfb: Script-Fu opens the
# editor interactively; its test hook (SKC_EDITOR_TEST_SCREENSHOT, see
# editor-dialog.c) presses Help, fits every level, saves a preset through
# the dialog's Save button, grabs the dialog as a PNG and closes it.
# Checks: GIMP exits cleanly, Help opened the README, the screenshot is
# there and dialog-sized, the saved preset has its three fitted complexes.
#
# The screenshot goes to BUILD_COPY every run, and to SCREENSHOT (the
# committed tests/screenshots/kernel-editor.png) when that is missing or
# SKC_UPDATE_SCREENSHOTS=1: the fit times in it change from run to run,
# so a plain test run leaves the checkout clean.
#
# usage: test-editor-dialog.sh EDITOR EDITOR_CHECK PRESET_DIR SCREENSHOT BUILD_COPY
. "$(dirname "$0")/lib.sh"
editor=$1
check=$2
builtin=$3
screenshot=$4
build_copy=$5
need_gimp gui
work_enter
private_profile "$work"
profile_plugin_exe "$editor"
export SKC_PRESET_DIR=$builtin \
       SKC_EDITOR_TEST_SCREENSHOT=$work/shot.png \
       SKC_EDITOR_TEST_PRESET="Dialog test"
unset SKC_USER_PRESET_DIR SKC_CACHE_DIR
presets=$GIMP3_DIRECTORY/sparse-bokeh/presets
help_viewer

timeout 240 xvfb-run -a -s "-screen 0 1280x1024x24" \
  "$gimp" -n -s --batch-interpreter=plug-in-script-fu-eval \
  -b '(plug-in-sparse-bokeh-kernel-editor #:run-mode RUN-INTERACTIVE)' --quit \
  >gui.log 2>&1
rc=$?
[ $rc = 0 ] && ok || bad "GIMP exited $rc: $(tail -n 30 gui.log)"
grep -q "test hook timed out" gui.log && bad "the dialog's test hook timed out"
grep -E "CRITICAL|Plug-in crashed" gui.log && bad "criticals or a crash in GIMP's output"
for src in "preset heart -> Procedural: Heart" "star -> Procedural: Star" \
           "brush -> Brush: 2. Hardness 050"; do
  grep -q "test: $src" gui.log && ok || bad "the dialog's source '$src' not seen: $(grep 'test:' gui.log)"
done

# Help opened the README (GIMP's own help said the manual was missing).
grep -q "/README.md" opened 2>/dev/null && ok \
  || bad "help: the README was not opened: $(cat opened 2>&1; grep -i 'help' gui.log | head -n 5)"

if size=$("$check" image-size shot.png 2>/dev/null); then
  read -r w h <<<"$size"
  echo "screenshot: $w x $h"
  if [ "$w" -ge 900 ] && [ "$h" -ge 500 ]; then ok; else bad "screenshot only $w x $h"; fi
  mkdir -p "$(dirname "$build_copy")"
  cp shot.png "$build_copy" && ok || bad "cannot copy the screenshot to $build_copy"
  echo "screenshot copied to $build_copy"
  if [ ! -e "$screenshot" ] || [ "${SKC_UPDATE_SCREENSHOTS:-}" = 1 ]; then
    mkdir -p "$(dirname "$screenshot")"
    cp shot.png "$screenshot" && echo "screenshot updated: $screenshot" \
      || bad "cannot copy the screenshot to $screenshot"
  fi
else
  bad "no screenshot: $(tail -n 30 gui.log)"
fi

"$check" preset "$presets/dialog-test.preset" --image --complexes 3 \
  && ok || bad "the preset saved from the dialog: $(ls -la "$presets" 2>&1)"

[ -n "${SKC_TEST_VERBOSE:-}" ] && cat gui.log
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
