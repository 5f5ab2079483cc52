/* The core's statuses for the GLib layer (see skc-error.h).
 *
 * The core says what went wrong as an SkcStatus and, for outside data, an
 * SkcDetail: a code and its values, never a sentence.  Here the code's
 * English template (core/skc-detail.c, extracted for translation from
 * there) is translated, then filled in, so a refusal reads in the user's
 * language with the file, line and numbers in it.
 */
#include <glib/gi18n-lib.h>

#include "skc-error.h"

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

/* @error from @status and what the core found (@d). */
static void
set_error (GError **error, SkcStatus status, const SkcDetail *d)
{
  gchar buf[1024];

  if (d->code == SKC_DETAIL_NONE)
    {
      g_set_error_literal (error, SKC_ERROR, status,
                           skc_status_message (status));
      return;
    }
  skc_detail_render (_(skc_detail_template (d->code)), d,
                     d->sys_errno ? g_strerror (d->sys_errno)
                                  : skc_status_message (d->status),
                     buf, sizeof buf);
  g_set_error_literal (error, SKC_ERROR, status, buf);
}

SkcKernel *
skc_kernel_load_file (const gchar *path, GError **error)
{
  SkcKernel *kernel = NULL;
  SkcDetail  d;
  SkcStatus  status = skc_kernel_load_detail (path, &kernel, &d);

  if (status != SKC_OK)
    set_error (error, status, &d);
  return kernel;
}

SkcComplex *
skc_complex_load_file (const gchar *path, GError **error)
{
  SkcComplex *complex = NULL;
  SkcDetail   d;
  SkcStatus   status = skc_complex_load_detail (path, &complex, &d);

  if (status != SKC_OK)
    set_error (error, status, &d);
  return complex;
}

gboolean
skc_complex_check_usable (const SkcComplex *complex, const gchar *name,
                          GError **error)
{
  SkcDetail d;
  SkcStatus status = skc_complex_check_detail (complex, name, &d);

  if (status != SKC_OK)
    set_error (error, status, &d);
  return status == SKC_OK;
}
