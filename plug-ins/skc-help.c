/* Opening the README from a dialog's Help button (see skc-help.h). */
#include <glib/gi18n-lib.h>
#include <libgimp/gimp.h>

#include "skc-help.h"

/* README.md beside the plug-in's executable, else the source tree's. */
static gchar *
readme_path (void)
{
  gchar *dir = g_path_get_dirname (gimp_get_progname ());
  gchar *path = g_build_filename (dir, "README.md", NULL);

  g_free (dir);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return path;
  g_free (path);
#ifdef SKC_SOURCE_README
  if (g_file_test (SKC_SOURCE_README, G_FILE_TEST_IS_REGULAR))
    return g_strdup (SKC_SOURCE_README);
#endif
  return NULL;
}

void
skc_help_show (const gchar *help_id, gpointer data)
{
  gchar  *path = readme_path ();
  gchar  *uri = path ? g_filename_to_uri (path, NULL, NULL) : NULL;
  GError *error = NULL;

  g_debug ("help for %s: %s", help_id, uri ? uri : "no README");
  if (!uri)
    g_message (_("The Sparse Bokeh README is not installed beside the "
                 "plug-in."));
  else if (!gtk_show_uri_on_window (GTK_IS_WINDOW (data) ? data : NULL, uri,
                                    GDK_CURRENT_TIME, &error))
    {
      /* not modal: the dialog stays usable */
      g_message (_("Cannot open the help, %s: %s"), path, error->message);
      g_clear_error (&error);
    }
  g_free (uri);
  g_free (path);
}
