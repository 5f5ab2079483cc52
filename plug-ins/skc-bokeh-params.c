/* Numeric properties that the skc:bokeh operations check themselves.
 *
 * GObject validates a property value before the object sees it: a value
 * outside the pspec's range, or a NaN, is refused with "value ... is
 * invalid or out of range" (a GLib warning) and the property keeps what
 * it had, its default on the gegl command line.  `gegl ... skc:bokeh
 * size=1001` then blurred at 25 px and exited 0: a wrong image with a
 * warning that does not say it was used anyway.
 *
 * With G_PARAM_LAX_VALIDATION GObject passes the value on after
 * validation, clamped to the range (1001 arrives as 1000, 0 samples as
 * 1; only a NaN survives CLAMP), so the op could not tell either.  But
 * clamped to a range one step wider than the property's limits, every
 * value beyond a limit arrives as the step beyond it, and the op can
 * refuse it.  So skc_bokeh_params_class_init keeps each int and double
 * property's range (the chant's value_range, the one table of limits) in
 * the pspec's qdata, widens the pspec by 1 (an int) or to the next double
 * on either side, and sets LAX; skc_bokeh_params_check compares the
 * values with the kept limits.
 *
 * The pspecs stay GEGL's own types: GIMP's plug-in protocol carries only
 * those (a subtype that did not validate at all, tried first, lost the
 * op's properties in libgimp's GimpDrawableFilterConfig), and GIMP's
 * widgets for the op (its generic dialog, which copies the pspecs) keep
 * their slider (UI) ranges; their spin buttons reach one step further,
 * where the op refuses with its error pattern.
 */
#include <glib/gi18n-lib.h>
#include <math.h>

#include "skc-bokeh-params.h"
#include "skc-bokeh-kernels.h"

typedef struct
{
  gdouble minimum;
  gdouble maximum;
} Limits;

static GQuark
limits_quark (void)
{
  return g_quark_from_static_string ("skc-bokeh-limits");
}

static void
keep_limits (GParamSpec *pspec, gdouble minimum, gdouble maximum)
{
  Limits *l = g_new (Limits, 1);

  l->minimum = minimum;
  l->maximum = maximum;
  g_param_spec_set_qdata_full (pspec, limits_quark (), l, g_free);
  pspec->flags |= G_PARAM_LAX_VALIDATION;
}

void
skc_bokeh_params_class_init (GObjectClass *klass)
{
  guint        n = 0;
  GParamSpec **ps = g_object_class_list_properties (klass, &n);

  for (guint i = 0; i < n; i++)
    {
      if (ps[i]->owner_type != G_OBJECT_CLASS_TYPE (klass))
        continue;
      if (GEGL_IS_PARAM_SPEC_INT (ps[i]))
        {
          GParamSpecInt *p = G_PARAM_SPEC_INT (ps[i]);

          if (p->minimum == G_MININT || p->maximum == G_MAXINT)
            continue;   /* no limit to keep (none of ours) */
          keep_limits (ps[i], p->minimum, p->maximum);
          p->minimum--;
          p->maximum++;
        }
      else if (GEGL_IS_PARAM_SPEC_DOUBLE (ps[i]))
        {
          GParamSpecDouble *p = G_PARAM_SPEC_DOUBLE (ps[i]);

          if (p->minimum == -G_MAXDOUBLE || p->maximum == G_MAXDOUBLE)
            continue;
          keep_limits (ps[i], p->minimum, p->maximum);
          p->minimum = nextafter (p->minimum, -INFINITY);
          p->maximum = nextafter (p->maximum, INFINITY);
        }
    }
  g_free (ps);
}

/* A number for a message: '.' in any locale. */
static const gchar *
number (gchar *buf, gsize size, gdouble v)
{
  return g_ascii_formatd (buf, (gint) size, "%.9g", v);
}

/* The problem with @pspec's value on @op, or NULL. */
static gchar *
param_problem (GObject *op, GParamSpec *pspec, const Limits *l)
{
  GValue       v = G_VALUE_INIT;
  gdouble      x;
  gboolean     is_int = G_IS_PARAM_SPEC_INT (pspec);
  const gchar *what;
  gchar       *problem;
  gchar        a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];

  g_value_init (&v, pspec->value_type);
  g_object_get_property (op, pspec->name, &v);
  x = is_int ? g_value_get_int (&v) : g_value_get_double (&v);
  g_value_unset (&v);
  if (x >= l->minimum && x <= l->maximum)   /* false for a NaN */
    return NULL;
  what = isnan (x) ? _("not a number")
         : x > l->maximum ? _("too large") : _("too small");
  if (is_int)
    problem = g_strdup_printf (_("property '%s' is %s: it takes whole "
                                 "numbers from %d to %d"),
                               pspec->name, what, (gint) l->minimum,
                               (gint) l->maximum);
  else
    problem = g_strdup_printf (_("property '%s' is %s: it takes numbers "
                                 "from %s to %s"),
                               pspec->name, what,
                               number (a, sizeof a, l->minimum),
                               number (b, sizeof b, l->maximum));
  return problem;
}

gboolean
skc_bokeh_params_check (GObject *op, GError **error)
{
  guint        n = 0;
  GParamSpec **ps = g_object_class_list_properties (G_OBJECT_GET_CLASS (op),
                                                    &n);
  GString     *all = NULL;

  for (guint i = 0; i < n; i++)
    {
      const Limits *l = g_param_spec_get_qdata (ps[i], limits_quark ());
      gchar        *problem = l ? param_problem (op, ps[i], l) : NULL;

      if (!problem)
        continue;
      if (!all)
        all = g_string_new (problem);
      else
        g_string_append_printf (all, "; %s", problem);
      g_free (problem);
    }
  g_free (ps);
  if (!all)
    return TRUE;
  g_set_error_literal (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_SETTINGS,
                       all->str);
  g_string_free (all, TRUE);
  return FALSE;
}
