/* Data installed beside the skc:bokeh module.
 *
 * The module finds its translations and built-in presets relative to its
 * own file, never through a compiled-in prefix or an environment
 * variable, so it works wherever it is installed (a user's
 * ~/.local/share/gegl-0.4/plug-ins, GEGL's system folder, a packager's
 * prefix):
 *
 *     <folder>/skc-bokeh.so
 *     <folder>/sparse-bokeh/locale/<lang>/LC_MESSAGES/sparse-bokeh.mo
 *     <folder>/sparse-bokeh/presets/<id>.preset
 *
 * GEGL loads only files ending in .so, so the data folder beside the
 * module is left alone.  The module's file is found with dladdr () on a
 * function of its own.  A folder that is missing (an uninstalled build)
 * is not bound, so a binding made by the host stays (a GIMP plug-in that
 * loads the module binds the same domain to its own copy of the same
 * catalogues).  $SKC_PRESET_DIR still overrides the presets (tests).
 */
#define _GNU_SOURCE 1

#include "skc-bokeh-data.h"
#include "skc-preset.h"

#include <dlfcn.h>
#include <libintl.h>

static gchar *
module_data_dir (void)
{
  Dl_info info;

  if (dladdr ((void *) module_data_dir, &info) == 0 || !info.dli_fname
      || !g_path_is_absolute (info.dli_fname))
    return NULL;
  {
    gchar *folder = g_path_get_dirname (info.dli_fname);
    gchar *data = g_build_filename (folder, GETTEXT_PACKAGE, NULL);

    g_free (folder);
    return data;
  }
}

void
skc_bokeh_data_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      gchar *data = module_data_dir ();

      if (data)
        {
          gchar *locale = g_build_filename (data, "locale", NULL);
          gchar *presets = g_build_filename (data, "presets", NULL);

          if (g_file_test (locale, G_FILE_TEST_IS_DIR))
            {
              bindtextdomain (GETTEXT_PACKAGE, locale);
              bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
            }
          if (g_file_test (presets, G_FILE_TEST_IS_DIR))
            skc_preset_set_builtin_dir (presets);
          g_free (locale);
          g_free (presets);
          g_free (data);
        }
      g_once_init_leave (&done, 1);
    }
}
