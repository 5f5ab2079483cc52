/* The core's statuses for the GLib layer (see skc-error.h).
 *
 * The core says what went wrong as an SkcStatus and, for a file, a
 * sentence in a caller's buffer; that buffer lives here only, turned
 * into a GError at once.
 */
#include <glib/gi18n-lib.h>

#include "skc-error.h"

/* Room for the core's explanations: a path and a few numbers. */
#define DETAIL_SIZE 1024

G_DEFINE_QUARK (skc-error-quark, skc_error)

const gchar *
skc_status_message (SkcStatus status)
{
  switch (status)
    {
    case SKC_OK:
      return _("success");
    case SKC_ERR_INVALID:
      return _("invalid argument");
    case SKC_ERR_NOMEM:
      return _("out of memory or size too large");
    case SKC_ERR_IO:
      return _("input/output error");
    case SKC_ERR_FORMAT:
      return _("unsupported or corrupt file format");
    case SKC_ERR_EMPTY:
      return _("the kernel is empty (all black)");
    case SKC_ERR_CANCELLED:
      return _("cancelled");
    case SKC_ERR_NOT_FILE:
      return _("not a regular file (a directory, device, FIFO or symbolic "
               "link); refused");
    case SKC_ERR_TOO_LARGE:
      return _("too large (over the size or pixel budget); refused");
    }
  return _("unknown error");
}

static void
set_error (GError **error, SkcStatus status, const gchar *detail)
{
  g_set_error_literal (error, SKC_ERROR, status,
                       detail && *detail ? detail : skc_status_message (status));
}

SkcKernel *
skc_kernel_load_file (const gchar *path, GError **error)
{
  SkcKernel *kernel = NULL;
  gchar      detail[DETAIL_SIZE] = "";
  SkcStatus  status = skc_kernel_load (path, &kernel, detail, sizeof detail);

  if (status != SKC_OK)
    set_error (error, status, detail);
  return kernel;
}

SkcComplex *
skc_complex_load_file (const gchar *path, GError **error)
{
  SkcComplex *complex = NULL;
  gchar       detail[DETAIL_SIZE] = "";
  SkcStatus   status = skc_complex_load (path, &complex, detail, sizeof detail);

  if (status != SKC_OK)
    set_error (error, status, detail);
  return complex;
}

SkcPreset *
skc_preset_load_file (const gchar *path, GError **error)
{
  SkcPreset *preset = NULL;
  gchar      detail[DETAIL_SIZE] = "";
  SkcStatus  status = skc_preset_load (path, &preset, detail, sizeof detail);

  if (status != SKC_OK)
    set_error (error, status, detail);
  return preset;
}

gboolean
skc_complex_check_usable (const SkcComplex *complex, const gchar *name,
                          GError **error)
{
  gchar     detail[DETAIL_SIZE] = "";
  SkcStatus status = skc_complex_check (complex, name, detail, sizeof detail);

  if (status != SKC_OK)
    set_error (error, status, detail);
  return status == SKC_OK;
}
