# GIMP side of the interactive-speed benchmark (issue 12), run by
# tests/bench/interactive.sh inside gimp-console-3.0 (python-fu-eval) with
# PHOTO set to a 4000 x 3000 image.  Every row renders the whole layer
# through a GIMP drawable filter (merged: GIMP's own filter path, at 100 %,
# on GIMP's GEGL threads; gegl:lens-blur has an aux pad, so GIMP would not
# keep it as a live effect), on a fresh copy of the layer;
# the canvas preview at a zoom renders only what is shown, so this is its
# worst case.  Medians of REPEAT, each repetition at a setting not seen
# before where the row says so.
import os, statistics, time
import gi
gi.require_version('Gimp', '3.0')
from gi.repository import Gimp, Gio

repeat = int(os.environ.get('REPEAT', '3'))
size = int(os.environ.get('SIZE', '75'))
img = Gimp.file_load(Gimp.RunMode.NONINTERACTIVE,
                     Gio.File.new_for_path(os.environ['PHOTO']))
base = img.get_layers()[0]

def render(op, props):
    layer = base.copy()
    img.insert_layer(layer, None, 0)
    f = Gimp.DrawableFilter.new(layer, op, "")
    c = f.get_config()
    for k, v in props.items():
        c.set_property(k, v)
    f.update()
    t0 = time.monotonic()
    layer.merge_filter(f)
    t = time.monotonic() - t0
    img.remove_layer(layer)
    return t

def mark(label):
    # for interactive.sh: the op's "render built" debug lines (on GIMP's
    # own stdout, as GLib writes debug messages) that follow belong to it
    print("ROW %s" % label, flush=True)
    return label

def row(label, times, ref=None):
    m = statistics.median(times)
    extra = " (%+.2f)" % (m - ref) if ref is not None else ""
    print("| %s | %.2f%s |" % (label, m, extra), flush=True)
    return m

print("| render through a GIMP drawable filter (4000 x 3000) "
      "| seconds (median of %d) |\n|---|---:|" % repeat, flush=True)
row(mark("skc:bokeh heart at %d px, first (fit in GIMP + render)" % size),
    [render("skc:bokeh", {"kernel": "heart", "size": size})])
cached = row(mark("skc:bokeh heart at %d px, fit cached" % size),
             [render("skc:bokeh", {"kernel": "heart", "size": size})
              for r in range(repeat)])
row(mark("skc:bokeh heart at a new size (%d..%d px)"
         % (size + 2, size + 1 + repeat)),
    [render("skc:bokeh", {"kernel": "heart", "size": size + 2 + r})
     for r in range(repeat)], cached)
row(mark("skc:bokeh heart at %d px, a new rotation (30..%d deg)"
         % (size, 29 + repeat)),
    [render("skc:bokeh", {"kernel": "heart", "size": size,
                          "rotation": 30.0 + r}) for r in range(repeat)],
    cached)
row(mark("gegl:gaussian-blur, std-dev %.2f px" % (size / 4.0)),
    [render("gegl:gaussian-blur", {"std-dev-x": size / 4.0,
                                   "std-dev-y": size / 4.0})
     for r in range(repeat)])
row(mark("gegl:lens-blur, radius %.1f px" % (size / 2.0)),
    [render("gegl:lens-blur", {"radius": size / 2.0}) for r in range(repeat)])
img.delete()
