#!/bin/sh
# Suite i18n: the translations are complete, current and actually used.
#
#   test-i18n.sh SOURCE_ROOT BUILD_PO_DIR I18N_CATALOG
#
# (a) every po/<lang>.po compiles with msgfmt --check, with no untranslated
#     and no fuzzy message;
# (b) po/POTFILES.in lists every file with marked strings, and
#     po/sparse-bokeh.pot and every po/<lang>.po hold exactly the messages a
#     fresh xgettext run finds (meson's 'glib' preset, as po/meson.build
#     uses): a new or changed string fails with its text;
# (c) the built catalogue (BUILD_PO_DIR/<lang>/LC_MESSAGES/sparse-bokeh.mo)
#     is found through bindtextdomain and gives every German msgstr of
#     po/de.po back from dgettext/dngettext under LANGUAGE=de.
set -u
src=$1
podir=$2
catalog=$3
domain=sparse-bokeh
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bad () { printf 'FAIL: %s\n' "$*"; fail=1; }

langs=$(grep -v '^[[:space:]]*#' "$src/po/LINGUAS" | tr -s ' \t\n' ' ')
[ -n "$langs" ] || bad "po/LINGUAS lists no language"

# ---- (a) complete catalogues
for lang in $langs; do
  po="$src/po/$lang.po"
  if ! stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1); then
    bad "msgfmt --check $lang.po:"; printf '%s\n' "$stats"; continue
  fi
  printf '%s.po: %s\n' "$lang" "$stats"
  case $stats in
    *untranslated*|*fuzzy*) bad "$lang.po is incomplete: $stats" ;;
  esac
done

# ---- (b) POTFILES.in complete, .pot and .po current
# The same call as meson's `ninja sparse-bokeh-pot` (mesonbuild/scripts/
# gettext.py with the 'glib' preset of mesonbuild/modules/i18n.py).
extract () {  # OUTPUT FILES-FROM
  (cd "$src/po" && LC_ALL=C xgettext --package-name=$domain -f "$2" -D "$src" -k_ -o "$1" \
     --from-code=UTF-8 --add-comments \
     --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
     --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
     --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
     --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
     --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
     --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
     --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
     --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
     --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format)
}
extract "$tmp/fresh.pot" POTFILES.in || bad "xgettext failed"

# Every C file of the suite through the same extraction: a file that yields
# messages must be in POTFILES.in.
grep -v '^[[:space:]]*#' "$src/po/POTFILES.in" | sed '/^[[:space:]]*$/d' | LC_ALL=C sort >"$tmp/listed"
for f in $(cat "$tmp/listed"); do
  [ -f "$src/$f" ] || bad "po/POTFILES.in lists $f, which does not exist"
done
(cd "$src" && find plug-ins ui core -name '*.[ch]' 2>/dev/null) | LC_ALL=C sort >"$tmp/all-files"
extract "$tmp/all.pot" "$tmp/all-files" || bad "xgettext over all sources failed"
if [ -f "$tmp/all.pot" ]; then
  sed -n 's/^#: //p' "$tmp/all.pot" | tr ' ' '\n' | sed -n 's/:[0-9]*$//p' \
    | LC_ALL=C sort -u >"$tmp/marked"
  for f in $(LC_ALL=C comm -23 "$tmp/marked" "$tmp/listed"); do
    bad "$f has translatable strings but is not in po/POTFILES.in"
  done
fi

# The message keys of a PO file, one per line, sorted: msgctxt, msgid and
# msgid_plural, without obsolete (#~) entries or the header.
keys () {
  LC_ALL=C msgcat --no-wrap --no-location --sort-output "$1" 2>/dev/null | awk '
    /^msgctxt /      { key = $0; next }
    /^msgid /        { key = key (key == "" ? "" : " | ") $0; inid = 1; next }
    /^msgid_plural / { key = key " | " $0; next }
    /^msgstr/        { if (key != "" && key != "msgid \"\"") print key; key = ""; inid = 0; next }
    /^"/             { if (inid) key = key $0; next }
    { inid = 0 }' | LC_ALL=C sort
}
keys "$tmp/fresh.pot" >"$tmp/fresh.keys"
[ -s "$tmp/fresh.keys" ] || bad "no messages extracted"
check_keys () {  # FILE WHAT
  keys "$1" >"$tmp/have.keys"
  LC_ALL=C comm -23 "$tmp/fresh.keys" "$tmp/have.keys" >"$tmp/new"
  LC_ALL=C comm -13 "$tmp/fresh.keys" "$tmp/have.keys" >"$tmp/gone"
  if [ -s "$tmp/new" ] || [ -s "$tmp/gone" ]; then
    bad "$2 is not current (run: ninja -C BUILD $domain-pot $domain-update-po, then translate):"
    sed 's/^/  missing: /' "$tmp/new"
    sed 's/^/  no longer in the sources: /' "$tmp/gone"
  fi
}
check_keys "$src/po/$domain.pot" "po/$domain.pot"
for lang in $langs; do
  check_keys "$src/po/$lang.po" "po/$lang.po"
done
printf 'messages in the sources: %s\n' "$(wc -l <"$tmp/fresh.keys")"

# ---- (c) the German catalogue is used
mo="$podir/de/LC_MESSAGES/$domain.mo"
if [ ! -f "$mo" ]; then
  bad "no built catalogue $mo"
else
  # Every message of de.po as NUL-separated records (msgexec runs once per
  # plural form): context flag, context, msgid, plural form index (empty
  # without plural), msgid_plural, msgstr.
  LC_ALL=C msgexec -i "$src/po/de.po" sh -c '
    [ -z "$MSGEXEC_MSGID" ] && exit 0
    printf "%s\0%s\0%s\0%s\0%s\0" "${MSGEXEC_MSGCTXT+1}" "${MSGEXEC_MSGCTXT-}" \
      "$MSGEXEC_MSGID" "${MSGEXEC_PLURAL_FORM-}" "${MSGEXEC_MSGID_PLURAL-}"
    cat; printf "\0"' >"$tmp/de.records" 2>"$tmp/msgexec.err" \
    || { bad "msgexec failed"; cat "$tmp/msgexec.err"; }
  if env -u LC_ALL -u LC_MESSAGES LANG=de_DE.UTF-8 LANGUAGE=de \
       "$catalog" "$podir" $domain "$tmp/de.records"; then
    :
  else
    bad "the German catalogue is not used (see above)"
  fi
fi

[ $fail -eq 0 ] && echo "i18n: all checks passed"
exit $fail
