/* The PST baseline: a seeded run improves monotonically (its best loss
 * never rises), ends well below where it started, keeps the DC gain, is
 * deterministic across thread counts, and rejects bad options.
 */
#include "test-common.h"

#include <stdlib.h>
#include <string.h>

typedef struct
{
  int    calls;
  double first, last;
  int    monotonic;
} Trace;

static int
trace_cb (double f, double loss, void *data)
{
  Trace *t = data;

  if (t->calls == 0)
    t->first = loss;
  else if (loss > t->last)
    t->monotonic = 0;
  t->last = loss;
  t->calls++;
  return 0;
}

int
main (void)
{
  SkcShapeParams sp;
  SkcKernel     *k = NULL;
  SkcPstOptions  o;
  SkcComplex    *a = NULL, *b = NULL, *init = NULL;
  SkcFitOptions  fo;
  Trace          tr = { 0, 0, 0, 1 };
  double         p0;

  skc_shape_params_from_name ("heart", &sp);
  sp.size = 21;
  CHECK_OK (skc_shape_render (&sp, &k));
  skc_pst_options_init (&o);
  o.n_samples = 8;
  o.n_layers = 3;
  o.iterations = 600;
  o.n_chains = 6;
  o.n_threads = 1;
  o.progress = trace_cb;
  o.progress_data = &tr;
  CHECK_OK (skc_fit_pst (k, &o, &a));
  CHECK (tr.calls > 10 && tr.monotonic, "best loss never rises (%d reports)", tr.calls);
  CHECK (tr.last < 0.8 * tr.first, "loss falls: %.5g -> %.5g", tr.first, tr.last);
  CHECK (a && strcmp (a->method, "pst") == 0, "labelled pst");
  CHECK_NEAR (skc_complex_gain (a), 1.0, 1e-4, "DC gain kept at 1");

  /* better than where it started, in the kernel domain too */
  skc_fit_options_init (&fo);
  fo.n_samples = 8;
  fo.n_layers = 3;
  CHECK_OK (skc_fit_initial (k, &fo, 1, &init));
  CHECK_OK (skc_eval_kernel_psnr (init, k, &p0));
  printf ("pst heart 21px 8x3, 600 iterations: kernel PSNR %.2f dB (initial %.2f dB)\n",
          a->kernel_psnr, p0);
  CHECK (a->kernel_psnr > p0 + 1.0, "PST improves on its start (%.2f vs %.2f)",
         a->kernel_psnr, p0);

  o.n_threads = 3;
  o.progress = NULL;
  CHECK_OK (skc_fit_pst (k, &o, &b));
  CHECK (b && memcmp (a->taps, b->taps, skc_complex_total_taps (a) * sizeof (SkcTap)) == 0,
         "same result with 1 and 3 threads");

  skc_complex_free (b);
  b = NULL;
  o.n_chains = 0;
  CHECK (skc_fit_pst (k, &o, &b) == SKC_ERR_INVALID, "0 chains rejected");
  skc_pst_options_init (&o);
  o.t_min = NAN;
  CHECK (skc_fit_pst (k, &o, &b) == SKC_ERR_INVALID, "NaN temperature rejected");

  skc_complex_free (a);
  skc_complex_free (b);
  skc_complex_free (init);
  skc_kernel_free (k);
  return test_finish ();
}
