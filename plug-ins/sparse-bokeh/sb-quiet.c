/* Quiet changes to an image (see sb-quiet.h). */
#include "sb-quiet.h"

void
sb_quiet_init (SbQuiet *q, GimpImage *image)
{
  q->image = image;
  q->layers = gimp_image_get_selected_layers (image);
  q->channels = gimp_image_get_selected_channels (image);
}

void
sb_quiet_clear (SbQuiet *q)
{
  g_clear_pointer (&q->layers, g_free);
  g_clear_pointer (&q->channels, g_free);
}

void
sb_quiet_begin (SbQuiet *q)
{
  q->clean = !gimp_image_is_dirty (q->image);
  gimp_image_undo_freeze (q->image);
}

void
sb_quiet_end (SbQuiet *q)
{
  /* Inserting a layer selects it: put the user's selection back. */
  if (q->layers && q->layers[0])
    gimp_image_set_selected_layers (q->image, (const GimpLayer **) q->layers);
  if (q->channels && q->channels[0])
    gimp_image_set_selected_channels (q->image,
                                      (const GimpChannel **) q->channels);
  gimp_image_undo_thaw (q->image);
  /* Only this block's own dirt is taken away: edits the user made while
   * the dialog was open (or before it) keep the image dirty. */
  if (q->clean && gimp_image_is_dirty (q->image))
    gimp_image_clean_all (q->image);
}
