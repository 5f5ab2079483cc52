/* libskc: sparse kernel complexes (DISK) for fast custom-shaped bokeh.
 *
 * This is the one public header of the core library.  The numeric parts are
 * plain C11 with no GLib; nothing here knows GIMP or GEGL.
 *
 * Conventions used throughout:
 *  - Images and kernels are row-major float arrays, no padding unless a stride
 *    is given.  Pixel (x, y) is data[y * width + x].
 *  - A dense kernel has odd width and height; its centre is pixel
 *    (width / 2, height / 2).  A normalised kernel sums to 1.
 *  - Convolution is true convolution: out(p) = sum_u K(u) in(p - u), with u
 *    measured from the kernel centre.
 *  - A complex layer is a *gather* with bilinear interpolation:
 *      out(p) = sum_i w_i * bilerp (in, p + o_i)
 *    so a sample at offset o puts kernel mass at -o (METHOD.md section 1).
 *  - Borders: images are extended by clamping (edge pixels repeat), as GEGL's
 *    CLAMP abyss does.  Kernel synthesis uses a zero canvas instead.
 *  - Functions return an SkcStatus; they never print and never abort on bad
 *    input.  Objects returned through an out pointer are owned by the caller
 *    and freed with the matching _free function; on error the out pointer is
 *    set to NULL.
 *  - A finished SkcComplex or SkcKernel is never modified by the library and
 *    may be shared read-only between threads.
 */
#ifndef SKC_H
#define SKC_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SKC_VERSION_STRING "0.1.0"

/* ---------------------------------------------------------------- status */

typedef enum
{
  SKC_OK = 0,
  SKC_ERR_INVALID,    /* an argument is out of range or inconsistent     */
  SKC_ERR_NOMEM,      /* allocation failed or a size would overflow       */
  SKC_ERR_IO,         /* a file could not be opened, read or written     */
  SKC_ERR_FORMAT,     /* a file is not in the expected format            */
  SKC_ERR_EMPTY,      /* a kernel has no positive mass (all zero)        */
  SKC_ERR_CANCELLED,  /* the progress callback asked to stop             */
  SKC_ERR_NOT_FILE,   /* a path is a directory, device, FIFO, socket or
                         symbolic link where a regular file is needed    */
  SKC_ERR_TOO_LARGE   /* a file or image is over its size or pixel budget */
} SkcStatus;

/* A short English description of @status (static string, never NULL). */
const char *skc_status_string (SkcStatus status);

/* Limits on sizes accepted anywhere in the library. */
#define SKC_MAX_LAYERS       16
#define SKC_MAX_SAMPLES      256
#define SKC_MAX_KERNEL_SIZE  1025   /* dense kernel width/height, pixels */
#define SKC_MAX_IMAGE_SIDE   65536
#define SKC_MAX_BASES        16     /* complexes of one SkcFamily     */
/* The pixel budget of any image read from a file (2^27, about 134 M
 * pixels): checked from the header before anything is decoded. */
#define SKC_MAX_IMAGE_PIXELS (1u << 27)
/* What skc_complex_check accepts of a complex from outside. */
#define SKC_MIN_DC_GAIN        0.25
#define SKC_MAX_DC_GAIN        4.0
#define SKC_MAX_COMPLEX_REACH  (SKC_MAX_KERNEL_SIZE / 2 + 1 + SKC_MAX_LAYERS)

/* ---------------------------------------------------------------- kernels */

typedef struct
{
  int    width;    /* odd, 1 .. SKC_MAX_KERNEL_SIZE */
  int    height;   /* odd, 1 .. SKC_MAX_KERNEL_SIZE */
  float *data;     /* width * height weights        */
} SkcKernel;

/* A zero-filled kernel.  Width and height must be odd and in range. */
SkcStatus  skc_kernel_new        (int width, int height, SkcKernel **out);
void       skc_kernel_free       (SkcKernel *kernel);
SkcStatus  skc_kernel_copy       (const SkcKernel *kernel, SkcKernel **out);
double     skc_kernel_sum        (const SkcKernel *kernel);
float      skc_kernel_peak       (const SkcKernel *kernel);
/* Scale to unit sum.  SKC_ERR_EMPTY if the sum is not positive and finite
 * (an all-zero kernel); the kernel is then left unchanged. */
SkcStatus  skc_kernel_normalize  (SkcKernel *kernel);
/* Radius of the smallest centred disk holding all non-zero weights (pixels). */
float      skc_kernel_radius     (const SkcKernel *kernel);

typedef enum
{
  SKC_SHAPE_DISK = 0,
  SKC_SHAPE_POLYGON,   /* regular n-gon iris, optional curved blades */
  SKC_SHAPE_RING,
  SKC_SHAPE_STAR,
  SKC_SHAPE_HEART,
  SKC_SHAPE_GAUSSIAN,
  SKC_SHAPE_COMA,      /* asymmetric comet-like PSF */
  SKC_SHAPE_CATSEYE,   /* vignetted disk: two overlapping disks        */
  SKC_SHAPE_COUNT
} SkcShapeType;

typedef struct
{
  SkcShapeType type;
  int    side_px;    /* the kernel image's width = height in pixels
                      * (even sides are rounded up to the next odd
                      * number); the shape's diameter is side_px - 2,
                      * a pixel of anti-aliasing on each side           */
  int    blades;     /* polygon, star: number of blades/points, 3..12  */
  float  curvature;  /* polygon: 0 straight blades .. 1 a full circle  */
  float  rotation_deg; /* counter-clockwise on screen                  */
  float  inner;      /* ring: inner/outer radius; star: inner/outer
                      * radius of the points; 0..1                      */
  float  sigma;      /* gaussian: standard deviation in pixels         */
  float  strength;   /* coma: asymmetry 0..1; cat's eye: vignetting,
                      * the two disks' centres strength * radius apart  */
} SkcShapeParams;

/* Defaults for @type (side 49 px, hexagon, ring 0.7, star 0.45, sigma 7
 * ...). */
void        skc_shape_params_init (SkcShapeParams *params, SkcShapeType type);
/* Parse "disk", "polygon" (also "hexagon", "pentagon", ... setting blades),
 * "ring", "star", "heart", "gaussian", "coma".  Fills @params with defaults
 * for that shape.  SKC_ERR_INVALID for an unknown name. */
SkcStatus   skc_shape_params_from_name (const char *name, SkcShapeParams *params);
const char *skc_shape_name (SkcShapeType type);
/* Render an anti-aliased kernel, normalised to unit sum. */
SkcStatus   skc_shape_render (const SkcShapeParams *params, SkcKernel **out);

/* ---------------------------------------------------------------- images */

typedef struct
{
  int    width;
  int    height;
  int    channels;   /* 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA           */
  float *data;       /* interleaved, values as stored scaled to 0..1   */
} SkcImage;

SkcStatus skc_image_new  (int width, int height, int channels, SkcImage **out);
void      skc_image_free (SkcImage *image);
/* Load an 8- or 16-bit PNG or a PFM.  Values are the stored code values
 * divided by the maximum (no colour conversion). */
SkcStatus skc_image_load (const char *path, SkcImage **out);
/* The same, refusing with SKC_ERR_TOO_LARGE a file whose header declares a
 * side over @max_side or more than SKC_MAX_IMAGE_PIXELS pixels, before any
 * pixel is decoded (skc_image_load: @max_side SKC_MAX_IMAGE_SIDE).  A PFM
 * must also hold every declared sample. */
SkcStatus skc_image_load_max (const char *path, int max_side, SkcImage **out);
/* The size a PNG or PFM declares, from its header only (SKC_ERR_TOO_LARGE,
 * with the size, when it is over the pixel budget). */
SkcStatus skc_image_probe (const char *path, int *width, int *height);
/* Save as 16-bit PNG (values clamped to 0..1) or PFM (float, unclamped),
 * chosen by the file name's extension (.png or .pfm). */
SkcStatus skc_image_save (const SkcImage *image, const char *path);
/* The same PNG coding in memory: decode @length bytes of an 8- or 16-bit
 * PNG; encode as a 16-bit PNG into a malloc()ed buffer (free() it). */
SkcStatus skc_image_decode_png (const unsigned char *data, size_t length,
                                SkcImage **out);
SkcStatus skc_image_encode_png (const SkcImage *image, unsigned char **out,
                                size_t *length);

/* Image files row by row (skc-image-stream.c), for images of any size in
 * bounded memory.  A reader checks what skc_image_load checks (the header
 * first) and gives rows top to bottom as skc_image_load would hold them;
 * an interlaced PNG is decoded whole (as code values).  A writer takes
 * rows top to bottom and commits, atomically, the bytes skc_image_save
 * writes; abort (or a failed call, after which only abort is valid)
 * leaves an existing file as it was. */
typedef struct SkcImageReader SkcImageReader;
typedef struct SkcImageWriter SkcImageWriter;

SkcStatus skc_image_reader_open   (const char *path, SkcImageReader **out);
void      skc_image_reader_size   (const SkcImageReader *reader, int *width,
                                   int *height, int *channels);
SkcStatus skc_image_reader_rows   (SkcImageReader *reader, int rows,
                                   float *dst);
void      skc_image_reader_close  (SkcImageReader *reader);

SkcStatus skc_image_writer_open   (const char *path, int width, int height,
                                   int channels, SkcImageWriter **out);
SkcStatus skc_image_writer_rows   (SkcImageWriter *writer, int rows,
                                   const float *src);
SkcStatus skc_image_writer_commit (SkcImageWriter *writer);
void      skc_image_writer_abort  (SkcImageWriter *writer);

/* A kernel from an image: gray values as stored (RGB: the mean of the three
 * channels; an alpha channel multiplies), padded to odd size with zeros,
 * normalised to unit sum.  SKC_ERR_EMPTY if there is no positive mass. */
SkcStatus skc_kernel_from_image (const SkcImage *image, SkcKernel **out);
/* A kernel image file, checked (skc-check.c): declared size at most
 * SKC_MAX_KERNEL_SIZE from the header (SKC_ERR_TOO_LARGE, before decoding),
 * finite and non-negative values (SKC_ERR_INVALID), positive mass
 * (SKC_ERR_EMPTY).  On failure @err says what is wrong and names @path. */
SkcStatus skc_kernel_load (const char *path, SkcKernel **out, char *err,
                           size_t err_size);
/* The kernel as a 1-channel image scaled so its peak is 1. */
SkcStatus skc_kernel_to_image (const SkcKernel *kernel, SkcImage **out);

/* sRGB transfer function, per value (IEC 61966-2-1). */
float skc_srgb_to_linear (float v);
float skc_linear_to_srgb (float v);

/* ---------------------------------------------------------------- complex */

typedef struct
{
  float ox;  /* offset in pixels (gather convention) */
  float oy;
  float w;   /* weight, any sign                      */
} SkcTap;

typedef struct
{
  int     n_layers;                  /* 1 .. SKC_MAX_LAYERS            */
  int     n_samples[SKC_MAX_LAYERS]; /* taps per layer, 1..MAX_SAMPLES */
  SkcTap *taps;                      /* all layers, layer 0 first      */

  /* Metadata, carried by the .skc format.  0 / "" when unknown. */
  int     target_width;
  int     target_height;
  char    method[16];                /* "disk", "pst", "lowrank"       */
  char    init[16];                  /* "ir", "ss", "random"           */
  char    kernel_name[128];
  int     steps;
  uint64_t seed;
  double  loss;                      /* final Charbonnier loss         */
  double  kernel_psnr;               /* dB, peak = target peak         */
  double  fit_seconds;

  /* Branches (LowRank baseline): when n_branches > 1 the layers form
   * n_branches chains of branch_layers[b] consecutive layers each, and the
   * complex's output is the *sum* of the chains' outputs.  0 or 1: one
   * chain (every fitted complex).  Only the reference paths, the .skc
   * format and the fast uniform apply know branches. */
  int     n_branches;
  int     branch_layers[SKC_MAX_LAYERS];
} SkcComplex;

/* A complex with @n_layers layers of @n_samples taps each, all zero. */
SkcStatus skc_complex_new       (int n_layers, const int *n_samples, SkcComplex **out);
SkcStatus skc_complex_new_uniform (int n_layers, int n_samples, SkcComplex **out);
void      skc_complex_free      (SkcComplex *complex);
SkcStatus skc_complex_copy      (const SkcComplex *complex, SkcComplex **out);
int       skc_complex_total_taps (const SkcComplex *complex);
/* Number of summed chains (1 for every fitted complex), and the first
 * layer and layer count of chain @branch. */
int       skc_complex_n_branches (const SkcComplex *complex);
void      skc_complex_branch    (const SkcComplex *complex, int branch,
                                 int *first_layer, int *n_layers);
/* Pointer to the first tap of @layer. */
SkcTap   *skc_complex_layer     (const SkcComplex *complex, int layer);
/* The DC gain: product of the layers' weight sums (summed over branches). */
double    skc_complex_gain      (const SkcComplex *complex);
/* Half-size of the square that holds the impulse response: the sum over
 * layers of each layer's largest |ox| or |oy|, plus one for bilinear
 * (the largest over branches). */
int       skc_complex_reach     (const SkcComplex *complex);

/* @kernel itself as a complex: one tap per non-zero entry, at its
 * whole-pixel offset (gather convention: entry u is the tap at -u), so the
 * fast apply convolves with @kernel exactly.  Taps go into summed
 * one-layer branches of at most SKC_MAX_SAMPLES each.  SKC_ERR_TOO_LARGE
 * when @kernel has more than @max_taps non-zero entries (or more than
 * SKC_MAX_LAYERS * SKC_MAX_SAMPLES). */
SkcStatus skc_complex_from_kernel (const SkcKernel *kernel, int max_taps,
                                   SkcComplex **out);

/* Impulse response on a zero canvas of @width x @height (the impulse at
 * (width / 2, height / 2)); out has width * height floats.  Applying the
 * complex to an image equals convolving it with this kernel (away from
 * borders).  Every layer is evaluated on the canvas, so mass that leaves it
 * is lost. */
SkcStatus skc_complex_synthesize (const SkcComplex *complex, int width, int height, float *out);

/* Apply the complex to one plane (reference implementation, scalar, one
 * thread): layers in order, each a bilinear gather with clamped borders.
 * @src and @dst are width * height floats and may not alias. */
SkcStatus skc_complex_apply_plane (const SkcComplex *complex, const float *src,
                                   int width, int height, float *dst);

/* Rows [y0, y0 + rows) of skc_complex_apply_plane's result on a plane of
 * @width x @height, bit for bit, from rows [src_y0, src_y0 + src_rows) of
 * the plane (@src holds those rows), which must cover the rows within
 * skc_complex_row_reach of the output rows that lie in the plane.  @dst
 * holds rows * width floats.  Memory: two buffers of the halo's rows, so a
 * plane of any height is filtered in strips (skc apply). */
SkcStatus skc_complex_apply_rows (const SkcComplex *complex, const float *src,
                                  int src_y0, int src_rows, int width,
                                  int height, int y0, int rows, float *dst);

/* Rows above and below an output row that skc_complex_apply_rows reads
 * (the layers' vertical reaches, summed per branch), or -1 for a complex
 * with non-finite or too distant taps. */
int       skc_complex_row_reach  (const SkcComplex *complex);

/* ---------------------------------------------------------------- safe files */

/* Every output of the project is saved atomically (skc-file.c): a
 * temporary file in the target's folder, fsync, rename.  The target must be
 * missing or a regular file; a directory, device, FIFO, socket or symbolic
 * link is refused (SKC_ERR_NOT_FILE; links are never followed or replaced).
 * A failure removes only the temporary file: an existing file survives. */
typedef struct SkcSave SkcSave;

SkcStatus skc_file_check_target (const char *path);
SkcStatus skc_save_begin  (const char *path, SkcSave **out);
FILE     *skc_save_stream (SkcSave *save);
/* Flush, fsync, rename over the target; frees @save in every case. */
SkcStatus skc_save_commit (SkcSave *save);
/* Remove the temporary file, leave the target alone; frees @save. */
void      skc_save_abort  (SkcSave *save);
SkcStatus skc_file_write  (const char *path, const void *data, size_t length);

/* Open for reading without blocking on a FIFO (O_NONBLOCK), without
 * following a final symbolic link if @no_follow, and only a regular file
 * (SKC_ERR_NOT_FILE otherwise).  A blocking descriptor, or -1. */
int       skc_file_open_read (const char *path, int no_follow, SkcStatus *status);
FILE     *skc_file_fopen_read (const char *path, SkcStatus *status);
/* The whole file, at most @max_bytes (SKC_ERR_TOO_LARGE beyond), malloc ()ed
 * and NUL-terminated. */
SkcStatus skc_file_read (const char *path, size_t max_bytes, int no_follow,
                         char **out, size_t *length);

/* ---------------------------------------------------------------- details */

/* What a loader or check of outside data found wrong, beyond its status:
 * a code and its values, for the caller to put in words
 * (skc-detail.c).  The core writes no sentences for users: each code has
 * one English template (skc_detail_template), which skc_detail_format
 * fills in and the plug-ins translate before filling in. */
typedef enum
{
  SKC_DETAIL_NONE = 0,              /* nothing beyond the status */
  SKC_DETAIL_KERNEL_TOO_LARGE,      /* n0 x n1 px, at most n2 */
  SKC_DETAIL_KERNEL_UNREADABLE,     /* status, sys_errno */
  SKC_DETAIL_KERNEL_NONFINITE,      /* n0 values, the first at (n1, n2) */
  SKC_DETAIL_KERNEL_NEGATIVE,       /* as above */
  SKC_DETAIL_KERNEL_EMPTY,
  SKC_DETAIL_KERNEL_UNUSABLE,       /* status */
  SKC_DETAIL_COMPLEX_NO_LAYERS,
  SKC_DETAIL_COMPLEX_TAP,           /* tap n0 (1-based) */
  SKC_DETAIL_COMPLEX_GAIN,          /* gain x0, range x1..x2 */
  SKC_DETAIL_COMPLEX_REACH,         /* n0 px, at most n1 (n2 wide) */
  SKC_DETAIL_SKC_TOO_LARGE,         /* more than n0 bytes */
  SKC_DETAIL_SKC_UNREADABLE,        /* status, sys_errno */
  /* .skc syntax, at line: */
  SKC_DETAIL_SKC_NONFINITE,         /* word for word2 */
  SKC_DETAIL_SKC_RANGE,             /* word2 'word' */
  SKC_DETAIL_SKC_NOT_NUMBER,        /* word (word2) */
  SKC_DETAIL_SKC_TRAILING,          /* word after word2 */
  SKC_DETAIL_SKC_TAP_WORD,          /* tap n0 of n1 of layer n2, got word */
  SKC_DETAIL_SKC_TAP_COUNT,         /* got n0 numbers */
  SKC_DETAIL_SKC_OFFSET,            /* (x0, x1), limit x2 */
  SKC_DETAIL_SKC_LAYER_RANGE,       /* word, 1..n0 */
  SKC_DETAIL_SKC_LAYER_WORD,        /* word */
  SKC_DETAIL_SKC_TOO_MANY_LAYERS,   /* n0 */
  SKC_DETAIL_SKC_BRANCH_SIZE,       /* word, 1..n0 */
  SKC_DETAIL_SKC_BRANCH_INSIDE,     /* n0 read, n1 promised */
  SKC_DETAIL_SKC_BRANCHES_TOO_MANY, /* n0 */
  SKC_DETAIL_SKC_TOO_LONG,          /* key word, n0 characters */
  SKC_DETAIL_SKC_DUPLICATE,         /* key word */
  SKC_DETAIL_SKC_TAP_EARLY,
  SKC_DETAIL_SKC_TAP_BEYOND,        /* n0 taps of layer n1 */
  SKC_DETAIL_SKC_NOT_KEY,           /* word */
  SKC_DETAIL_SKC_LINE_TOO_LONG,     /* n0 characters */
  SKC_DETAIL_SKC_NUL,
  SKC_DETAIL_SKC_VERSION,           /* word */
  SKC_DETAIL_SKC_NOT_SKC,           /* word: the first line wanted */
  SKC_DETAIL_SKC_NO_VALUE,          /* key word */
  SKC_DETAIL_SKC_LAYER_SHORT,       /* layer n0, n1 of n2 taps */
  SKC_DETAIL_SKC_NO_LAYERS,
  SKC_DETAIL_SKC_BRANCH_MISMATCH,   /* n0 promised, n1 read */
  SKC_DETAIL_SKC_BRANCH_EMPTY,
  /* presets (skc-preset.h) */
  SKC_DETAIL_PRESET_UNREADABLE,     /* status, sys_errno */
  SKC_DETAIL_PRESET_SYNTAX,         /* word: the key file's message */
  SKC_DETAIL_PRESET_NO_GROUP,       /* word: the group */
  SKC_DETAIL_PRESET_ID,             /* word */
  SKC_DETAIL_PRESET_NO_NAME,
  SKC_DETAIL_PRESET_SOURCE,
  SKC_DETAIL_PRESET_SHAPE,          /* word */
  SKC_DETAIL_PRESET_NUMBER,         /* key word, x0..x1, got word2 */
  SKC_DETAIL_PRESET_WHOLE,          /* key word */
  SKC_DETAIL_COUNT
} SkcDetailCode;

typedef struct
{
  SkcStatus     status;
  SkcDetailCode code;
  const char   *name;       /* the file or thing checked: the caller's  */
  int           line;       /* .skc syntax: the line, from 1            */
  int           sys_errno;  /* a system error, or 0                     */
  long long     n[4];
  double        x[3];
  char          word[128];  /* words as read, control characters '?'    */
  char          word2[128];
} SkcDetail;

/* The English template of @code ("line {line}: duplicate key '{word}'"):
 * a static string, also the msgid of its translation. */
const char *skc_detail_template (SkcDetailCode code);
/* @tmpl (a template or its translation) with @d's values in its places;
 * {error} becomes @error_text.  Always NUL-terminated, cut to @size. */
void        skc_detail_render   (const char *tmpl, const SkcDetail *d,
                                 const char *error_text, char *buf,
                                 size_t size);
/* The English sentence of @d ("" for SKC_DETAIL_NONE with SKC_OK). */
void        skc_detail_format   (const SkcDetail *d, char *buf, size_t size);
/* @detail cleared to @status and @code about @name (NULL @detail: no-op). */
void        skc_detail_set      (SkcDetail *detail, SkcStatus status,
                                 SkcDetailCode code, const char *name);
/* @s, at most @max_len bytes, into @dest of @size, control characters as
 * '?' (words read from files). */
void        skc_detail_word     (char *dest, size_t size, const char *s,
                                 size_t max_len);

/* ---------------------------------------------------------------- .skc files */

/* Text format, see core/FORMAT.md.  On a parse error *out is NULL and a
 * message with the line number is written to @err (if not NULL). */
SkcStatus skc_complex_parse (const char *text, size_t length, SkcComplex **out,
                             char *err, size_t err_size);
SkcStatus skc_complex_load  (const char *path, SkcComplex **out, char *err, size_t err_size);
/* The same, what is wrong in @detail (if not NULL; skc_detail_format's
 * sentence is what @err gets above). */
SkcStatus skc_complex_parse_detail (const char *text, size_t length,
                                    SkcComplex **out, SkcDetail *detail);
SkcStatus skc_complex_load_detail  (const char *path, SkcComplex **out,
                                    SkcDetail *detail);
/* Serialise; *out_text is malloc()ed, NUL-terminated. */
SkcStatus skc_complex_format (const SkcComplex *complex, char **out_text);
SkcStatus skc_complex_save  (const SkcComplex *complex, const char *path);
/* A complex from outside is fit to use: finite taps, a DC gain within
 * SKC_MIN_DC_GAIN..SKC_MAX_DC_GAIN and a reach of at most
 * SKC_MAX_COMPLEX_REACH px.  SKC_ERR_INVALID with a message naming @name
 * (a file) and the measured value otherwise. */
SkcStatus skc_complex_check (const SkcComplex *complex, const char *name,
                             char *err, size_t err_size);
SkcStatus skc_complex_check_detail (const SkcComplex *complex,
                                    const char *name, SkcDetail *detail);
/* skc_kernel_load, what is wrong in @detail (if not NULL). */
SkcStatus skc_kernel_load_detail   (const char *path, SkcKernel **out,
                                    SkcDetail *detail);

/* ---------------------------------------------------------------- inline data */

/* A kernel image, a complex or a blur map as one line of text: a data: URI
 * with base64 content (plug-ins/PROPERTIES.md, "Inline data"), what
 * skc:bokeh's kernel-data and map-data properties hold.  Images must be
 * one channel; they are stored as 16-bit PNG. */
typedef struct
{
  SkcImage   *image;       /* a kernel image or a map's grid, or NULL  */
  SkcComplex *complex;     /* a fitted complex, or NULL                */
  int         map_width;   /* a map: the pixels it covers; 0 otherwise */
  int         map_height;
} SkcInline;

/* Whether @text starts like inline data ("data:"). */
int       skc_inline_is_data        (const char *text);
/* Encode @image (1 channel, values 0..1): a kernel image when @map_width
 * and @map_height are 0, else a map covering that many pixels.  *out is
 * malloc()ed. */
SkcStatus skc_inline_encode_image   (const SkcImage *image, int map_width,
                                     int map_height, char **out);
SkcStatus skc_inline_encode_complex (const SkcComplex *complex, char **out);
/* Decode; SKC_ERR_FORMAT for anything malformed, another media type or a
 * version other than 1.  Free with skc_inline_clear. */
SkcStatus skc_inline_decode         (const char *text, SkcInline *out);
void      skc_inline_clear          (SkcInline *data);

/* A blur map made compact: the area average of @width x @height values
 * onto a grid whose longer side is at most @max_side (an integer factor
 * of reduction; no reduction if the map fits). */
SkcStatus skc_map_shrink (const float *values, int width, int height,
                          int max_side, SkcImage **out);
/* @n values of the map that @grid (from skc_map_shrink) stands for, at
 * full-size pixels (@x .. @x + @n - 1, @y) of @width x @height: bilinear
 * between grid cell centres, the edges repeated beyond. */
void      skc_map_sample (const SkcImage *grid, int width, int height,
                          int x, int y, int n, float *out);

/* ---------------------------------------------------------------- fit */

typedef enum
{
  SKC_INIT_IR = 0,   /* increasing radial rings             */
  SKC_INIT_SS,       /* sparse sampling of the support      */
  SKC_INIT_RANDOM,
  SKC_INIT_COUNT
} SkcInit;

const char *skc_init_name (SkcInit init);
SkcStatus   skc_init_from_name (const char *name, SkcInit *init);

/* Called now and then during a fit with @fraction in 0..1 and the current
 * loss.  Return non-zero to cancel. */
typedef int (*SkcProgressFunc) (double fraction, double loss, void *user_data);

typedef struct
{
  size_t   struct_size;     /* sizeof (SkcFitOptions), set by _init       */
  int      n_samples;       /* per layer, 1..SKC_MAX_SAMPLES              */
  int      n_layers;        /* 1..SKC_MAX_LAYERS                          */
  SkcInit  init;
  uint64_t seed;
  int      steps;           /* Adam steps of the final run                */
  int      n_starts;        /* multi-start: candidates tried briefly      */
  int      start_steps;     /* steps per candidate before picking the best*/
  float    lr_offset[2];    /* start, end; offsets in units of the radius */
  float    lr_weight[2];    /* start, end; weights in units of 1/n_samples*/
  float    eps;             /* Charbonnier eps, on a peak-1 target        */
  int      dc_constraint;   /* keep every layer's weight sum at 1         */
  int      loss_scales;     /* extra coarse scales in the loss, 0..6      */
  int      n_threads;       /* 0: all cores; never changes the result     */
  SkcProgressFunc progress;
  void    *progress_data;
  float    max_reach;       /* px, 0: none.  The sum over layers of each
                             * layer's largest |offset| (Euclidean) is kept
                             * at or below it: after every step a layer's
                             * outer taps are pulled in radially
                             * (skc-fit.c), which bounds the halo          */
} SkcFitOptions;

void      skc_fit_options_init (SkcFitOptions *options);
/* Fit a complex to @target (normalised to unit sum by the caller or not:
 * the fit normalises a copy).  Deterministic for given options whatever the
 * thread count.  The result carries loss, kernel PSNR, time and settings. */
SkcStatus skc_fit (const SkcKernel *target, const SkcFitOptions *options, SkcComplex **out);
/* The initial complex for @init, as the fit starts from it. */
SkcStatus skc_fit_initial (const SkcKernel *target, const SkcFitOptions *options,
                           uint64_t seed, SkcComplex **out);

/* ---------------------------------------------------------------- fast apply */

/* Rectangles are in image pixel coordinates; width/height >= 0. */
typedef struct
{
  int x, y, width, height;
} SkcRect;

/* Views of interleaved RGBA float pixels (linear light, premultiplied
 * alpha): @data holds the pixels of @rect (image coordinates), rows
 * @stride floats apart (at least 4 * rect.width).  What the RGBA applies
 * read (SkcInView) and write (SkcOutView). */
typedef struct
{
  const float *data;
  int          stride;
  SkcRect      rect;
} SkcInView;

typedef struct
{
  float  *data;
  int     stride;
  SkcRect rect;
} SkcOutView;

static inline SkcInView
skc_in_view (const float *data, int stride, SkcRect rect)
{
  SkcInView v;

  v.data = data;
  v.stride = stride;
  v.rect = rect;
  return v;
}

static inline SkcOutView
skc_out_view (float *data, int stride, SkcRect rect)
{
  SkcOutView v;

  v.data = data;
  v.stride = stride;
  v.rect = rect;
  return v;
}

/* A complex prepared for fast filtering (taps folded into per-layer integer
 * stencils, halos computed, SIMD path chosen once).  Immutable after
 * creation and safe to share between threads. */
typedef struct SkcPlan SkcPlan;

SkcStatus skc_plan_new  (const SkcComplex *complex, SkcPlan **out);
void      skc_plan_free (SkcPlan *plan);
/* Pixels of input needed on every side of an output rectangle. */
int       skc_plan_halo (const SkcPlan *plan);
/* Stencil entries (multiply-adds per pixel and channel) over all layers
 * and branches: what an apply costs. */
int       skc_plan_entries (const SkcPlan *plan);

typedef struct
{
  size_t struct_size;   /* sizeof (SkcApplyOptions), set by _init        */
  int    n_threads;     /* 0: all cores, 1: the calling thread only      */
  int    tile_size;     /* output tile side, 0: automatic                */
  SkcProgressFunc progress;  /* may be NULL; non-zero return cancels     */
  void  *progress_data;
} SkcApplyOptions;

void skc_apply_options_init (SkcApplyOptions *options);

/* Render the filtered image into @out: its rect is the roi, which must lie
 * inside @bounds.  @in (its rect: in_rect) must hold roi grown by the
 * halo, intersected with @bounds; @bounds is the whole image: pixels
 * outside it are the clamped edge pixels (GEGL's CLAMP abyss), as in the
 * reference skc_complex_apply_plane.  The result does not depend on roi
 * tiling, tile size, thread count or SIMD path: it is bit-identical (every
 * output is the same sum in the same order, no FMA).  Reentrant.  @in and
 * @out must not overlap.  After SKC_ERR_CANCELLED, @out is partly written. */
SkcStatus skc_apply_rgba (const SkcPlan *plan, SkcInView in, SkcRect bounds,
                          SkcOutView out, const SkcApplyOptions *options);

/* SIMD paths compiled in and the one in use ("scalar", "sse2", "avx2").
 * The environment variable SKC_DISABLE_SIMD="avx2 sse2" (or "all") turns
 * paths off, for tests. */
const char *skc_apply_simd_path (void);

/* ---------------------------------------------------------------- spatially varying */

/* A family of complexes of one shape over blur size, with identical
 * structure so that tap i corresponds across the family (METHOD.md 4):
 * basis k is the shape fitted at diameter sizes[k] px, warm-started from
 * a larger basis (the nearest at least 1.8x larger) scaled, so taps track
 * each other.  Sizes between bases interpolate taps linearly; size 0 is
 * the identity (offsets scaled to 0); sizes beyond the largest basis scale
 * its offsets.  The diameter is that of the shape's enclosing circle
 * (skc_shape_render draws diameter d on a canvas of d + 2); a user kernel
 * of side W counts as diameter W - 2; a Gaussian gets sigma = d / 6.  The
 * rule in full: skc-family.c. */
typedef struct
{
  int          n_bases;
  float        sizes[SKC_MAX_BASES];   /* increasing diameters, px    */
  SkcComplex  *bases[SKC_MAX_BASES];
} SkcFamily;

/* Fit a family for @shape (its side_px is ignored) at @n_bases sizes
 * from @min_size to @max_size (geometric).  @kernel, if not NULL, is used
 * instead of a procedural shape: it is resampled to each size.  The
 * largest basis gets @options as they are; the smaller ones half the steps
 * from a quarter of the initial learning rates.  Deterministic whatever
 * the thread count; progress runs 0..1 over all bases.  SKC_ERR_INVALID:
 * n_bases outside 1..SKC_MAX_BASES, min_size <= 0, max_size < min_size (or equal
 * with several bases), max_size > SKC_MAX_KERNEL_SIZE - 4. */
SkcStatus skc_family_fit  (const SkcShapeParams *shape, const SkcKernel *kernel,
                           float min_size, float max_size, int n_bases,
                           const SkcFitOptions *options, SkcFamily **out);
void      skc_family_free (SkcFamily *family);

/* Every basis of a family from skc_family_fit keeps the sum over its
 * layers of each layer's largest |offset| at or below
 * SKC_FAMILY_REACH * its diameter + SKC_FAMILY_REACH_PAD px (the fit's
 * max_reach), so the halo is known before anything is fitted:
 * skc_family_halo (f, s) and skc_plan_halo of skc_family_eval (f, s', any
 * angle) and of skc_family_uniform's plan there (widened beyond the top),
 * s' <= s, never exceed skc_family_halo_bound (s, top, layers)
 * for such a family f with @n_layers layers whose largest basis is
 * @top_size px.  (Fitted complexes reach well inside it.) */
/* The family a kernel is fitted as once for every size, rotation and mode
 * (the GEGL op and the plug-ins, issue 12): diameters 1 .. 33 px, 12
 * bases.  Beyond 33 px it scales the top basis, which measures as well as
 * or better than a fit at the size itself from 49 px up (a fit on a
 * resampled kernel, and flat in time); below, interpolated bases.  The
 * numbers: tests/bench/results/interactive.md. */
#define SKC_FAMILY_CANON_MIN    1.0f
#define SKC_FAMILY_CANON_TOP    33.0f
#define SKC_FAMILY_CANON_BASES  12
/* The canonical family of @image (NULL: a shape): its top diameter and
 * its number of bases.  A kernel image wider than 33 px (a brush, a
 * drawing) keeps detail that the 33 px basis scaled up blurs away, so it
 * gets one basis more, at 33 px times the bases' own ratio (45.4 px; the
 * twelve below stay where they are), for a somewhat longer first fit
 * (tests/bench/results/interactive.md; tests/test-sizes.c holds it).
 * Halo bounds made with SKC_FAMILY_CANON_TOP hold for it too (a larger
 * top only lowers them). */
void      skc_family_canon (const SkcKernel *image, float *top, int *n_bases);

#define SKC_FAMILY_REACH      1.0
#define SKC_FAMILY_REACH_PAD  3.0
int       skc_family_halo_bound (float max_size, float top_size, int n_layers);
/* The complex for one diameter and rotation (radians, counter-clockwise on
 * screen), interpolated tap by tap.  @out must have the family's structure
 * (skc_complex_copy of a basis): SKC_ERR_INVALID, @out untouched,
 * otherwise or for a family without bases. */
SkcStatus skc_family_eval (const SkcFamily *family, float size, float angle,
                           SkcComplex *out);

/* What the uniform filter renders at diameter @size turned by @angle
 * (radians): @family evaluated there (skc_family_eval) and planned, or,
 * when @target (the dense kernel at that size and angle, skc_kernel_target;
 * may be NULL) has at most SKC_FAMILY_DENSE_COST times as many non-zero
 * entries as that plan has stencil entries and at most SKC_MAX_SAMPLES,
 * @target itself as whole-pixel taps in one layer
 * (skc_complex_from_kernel): small kernels (up to about 15 px) are then
 * rendered exactly, for about the cost of the complex (one pass where the
 * complex makes one per layer).  Otherwise, below the family's top basis
 * and with a @target, the evaluated complex is polished against @target
 * (skc_family_polish); beyond it, for a family of several bases, widened
 * (skc_family_widen).  Both outputs are new (free them); *@dense (may be
 * NULL) says whether it is the dense kernel. */
#define SKC_FAMILY_DENSE_COST 2.0
SkcStatus skc_family_uniform (const SkcFamily *family, const SkcKernel *target,
                              float size, float angle, SkcComplex **complex,
                              SkcPlan **plan, int *dense);

/* @complex, a family's complex evaluated at diameter @size (and some
 * angle), refined against @target, the dense kernel at that size and
 * angle: SKC_FAMILY_POLISH_STEPS Adam steps from it (the default learning
 * rates, and when that gains nothing a second run at a quarter of them;
 * the family's reach limit at @size, no multi-start; deterministic whatever the thread count).  *@out is the
 * refined complex (new) when its kernel PSNR against @target is higher
 * than @complex's, else NULL (and SKC_OK).  Meant for sizes below the
 * family's top basis, where it costs a few hundredths of a second
 * (skc-polish.c has the measurements).  SKC_ERR_INVALID for a branched
 * complex or a size that is not positive and finite. */
#define SKC_FAMILY_POLISH_STEPS 300
SkcStatus skc_family_polish (const SkcComplex *complex,
                             const SkcKernel *target, float size,
                             SkcComplex **out);

/* @complex, a family's complex evaluated at diameter @size beyond its top
 * basis (@top px), with two whole-pixel layers more (a Gaussian along x,
 * then along y) that put back part of the blur that scaling offsets
 * leaves out (each bilinear tap is a one-pixel tent, not scaled):
 * variance SKC_FAMILY_BLUR_SHARE x ((size / top)^2 - 1) x layers / 6,
 * radius skc_family_blur_radius (at most 12 px).  *@out is new, or NULL
 * (and SKC_OK) when @size <= @top.  SKC_ERR_INVALID for a branched
 * complex or one with more than SKC_MAX_LAYERS - 2 layers.  skc-polish.c
 * has the measurements. */
#define SKC_FAMILY_BLUR_SHARE 0.5
int       skc_family_blur_radius (float size, float top, int n_layers);
SkcStatus skc_family_widen (const SkcComplex *complex, float size,
                            float top, SkcComplex **out);

typedef enum
{
  SKC_VARY_UNIFORM = 0,
  SKC_VARY_MAP,          /* size from a gray map: depth or painted mask  */
  SKC_VARY_TILT_SHIFT,   /* sharp band, blur growing away from it       */
  SKC_VARY_SPIN,         /* rotational: kernel turned around a centre   */
  SKC_VARY_ZOOM          /* radial: kernel aligned with the radius      */
} SkcVaryMode;

typedef struct
{
  SkcVaryMode mode;
  float  diameter_px;  /* max kernel diameter ("size" below)             */
  float  rotation_rad; /* kernel rotation ("rotation" below)              */
  /* map: size = max_size * clamp (|map - focus| / range, 0, 1)           */
  float  focus;       /* map value in focus, 0..1                         */
  float  range;       /* map distance to full blur, > 0                   */
  /* tilt-shift: band through (cx, cy) at angle, sharp for |d| < width/2,
   * growing to full blur over falloff px: with pixel (x, y) at (x, y),
   * d = (x - cx) sin angle + (y - cy) cos angle and
   * size = max_size * clamp ((|d| - width / 2) / falloff, 0, 1)          */
  float  cx, cy;      /* centre, image pixels                             */
  float  angle;       /* band direction, radians                          */
  float  width;       /* sharp band width, px                             */
  float  falloff;     /* px from band edge to full blur, > 0              */
  /* spin / zoom: size grows with the distance r to (cx, cy):
   * size = max_size * clamp (r / radius, 0, 1); angle follows the
   * tangent (spin) or the radius (zoom): with phi = atan2 (cy - y,
   * x - cx), angle = rotation + phi + pi / 2 (spin), rotation + phi
   * (zoom), so a kernel drawn along x streaks along circles or rays      */
  float  radius;      /* px at which the blur is full, > 0                */
} SkcVaryParams;

void skc_vary_params_init (SkcVaryParams *params, SkcVaryMode mode);

/* Per-pixel (size, angle) for @rect: 2 floats per pixel, row stride
 * 2 * rect.width.  @map (SKC_VARY_MAP only) holds one float per pixel of
 * @map_rect (values 0..1, stride map_stride floats; outside it is clamped). */
SkcStatus skc_vary_field (const SkcVaryParams *params, SkcRect rect,
                          const float *map, int map_stride, SkcRect map_rect,
                          float *field);

/* Spatially varying apply: like skc_apply_rgba, but each pass gathers with
 * the family interpolated at its output pixel's (size, angle) from @field,
 * which covers @in's rect (2 floats per pixel, stride 2 * its width).
 * Halo: skc_family_halo (family, max size), any angle.  Sizes <= 0 are the
 * identity (times the layers' weight sums at basis 0).  Bases with summed
 * branches (the LowRank family) are applied chain by chain, each chain
 * with its own taps interpolated per pixel, all to the same input, and
 * the chains' outputs added in branch order, as skc_apply_rgba does for a
 * branched complex; every basis must group its layers into branches
 * alike.  (For such a family skc_family_halo, the sum over all layers, is
 * more than needed: each chain needs only its own layers' sum.)
 * Bit-identical for any roi tiling, tile_size and thread count.
 * SKC_ERR_INVALID also for a non-finite field value, a family whose bases
 * differ in structure or in branches, or an @in that does not hold
 * roi grown by the halo of the field's largest size.  SKC_ERR_NOMEM also
 * when the roi-sized scratch of a branched family cannot be had. */
int       skc_family_halo (const SkcFamily *family, float max_size);
SkcStatus skc_apply_varying_rgba (const SkcFamily *family, const float *field,
                                  SkcInView in, SkcRect bounds,
                                  SkcOutView out,
                                  const SkcApplyOptions *options);

/* Highlights: in linear light, boost values above @threshold so point
 * lights bloom into the kernel's shape (as GEGL's and Photoshop's lens
 * blur do): v' = v + gain * max (v - threshold, 0) per colour channel of
 * premultiplied RGBA, @n_pixels pixels in place.  gain 0 is a no-op. */
void      skc_highlights_rgba (float *rgba, size_t n_pixels, float threshold,
                               float gain);

/* ---------------------------------------------------------------- exact path */

/* A dense kernel prepared for exact filtering of RGBA (skc-exact.c): its
 * entries for a direct scatter and its spectrum for FFT tiles.  Immutable
 * after creation and safe to share between threads. */
typedef struct SkcExact SkcExact;

/* SKC_ERR_INVALID for a kernel with even or out-of-range sides or a
 * non-finite weight. */
SkcStatus skc_exact_new  (const SkcKernel *kernel, SkcExact **out);
void      skc_exact_free (SkcExact *exact);
/* Pixels of input needed on every side: the kernel's larger half-size. */
int       skc_exact_halo (const SkcExact *exact);

/* Exact convolution with the kernel (true convolution, clamped borders,
 * as skc_convolve_fft) of interleaved RGBA, all four channels, with the
 * contract of skc_apply_rgba (@in holds roi grown by the halo inside
 * @bounds; threads and progress as there).  FFT per tile: the result
 * agrees across tilings to float rounding (about 1e-7 of the largest
 * value), not bit for bit.  The fallback for kernels that no complex of
 * the budget follows within the error target. */
SkcStatus skc_exact_apply_rgba (const SkcExact *exact, SkcInView in,
                                SkcRect bounds, SkcOutView out,
                                const SkcApplyOptions *options);

/* The split apply: the image's colour values above @level (>= 0) through
 * the exact kernel, the rest through the complex, added (the blur is
 * linear): out = plan (min (I, level)) + exact (max (I - level, 0)),
 * alpha wholly through the plan.  The complex's error then never meets
 * more than @level of a point light, so highlights and boosted point
 * lights keep the kernel's exact shape, while tiles with nothing above
 * @level cost what skc_apply_rgba costs (plus a scan).  The exact part of
 * a tile is a scatter of the kernel from its few highlight pixels, or FFTs
 * (see skc-exact.c).  Halo: the larger of the plan's and the exact
 * kernel's.  @plan and @exact should stand for the same kernel. */
SkcStatus skc_apply_split_rgba (const SkcPlan *plan, const SkcExact *exact,
                                float level, SkcInView in, SkcRect bounds,
                                SkcOutView out,
                                const SkcApplyOptions *options);

/* The coarse correction (skc-correct.c): what a complex misses of its
 * kernel (E = kernel - the complex's impulse response) applied to the
 * image averaged over blocks of @factor x @factor pixels and interpolated
 * back, added to the complex's result.  A photo's error through a complex
 * lies mostly in its low frequencies, which this puts back for about
 * 1 / factor^2 of the exact path's cost (test-correct holds the gain on
 * a photo against the dense blur).  Immutable after
 * creation and safe to share between threads.  SKC_ERR_INVALID for a
 * kernel with even or out-of-range sides, a factor outside 1 .. 16. */
typedef struct SkcCorrection SkcCorrection;

SkcStatus skc_correction_new  (const SkcComplex *complex,
                               const SkcKernel *kernel, int factor,
                               SkcCorrection **out);
void      skc_correction_free (SkcCorrection *corr);
/* Pixels of input needed on every side (more than the kernel's half-size
 * by up to 3.5 x factor). */
int       skc_correction_halo (const SkcCorrection *corr);
int       skc_correction_factor (const SkcCorrection *corr);

/* Add the correction of the image's colour values clipped at @level
 * (INFINITY: none; alpha never clipped) into @out, which holds the
 * complex's result: out += U (D (min (I, level)) * Es).  The contract of
 * skc_apply_rgba (@in covers the roi grown by skc_correction_halo inside
 * @bounds, clamped borders, threads), except that the coarse part is an
 * FFT: results agree across tilings to float rounding.  After
 * skc_apply_rgba the corrected complex; after skc_apply_split_rgba at
 * @level the corrected split.  Progress is not reported. */
SkcStatus skc_correction_add_rgba (const SkcCorrection *corr, float level,
                                   SkcInView in, SkcRect bounds,
                                   SkcOutView out,
                                   const SkcApplyOptions *options);

/* The factors the filter tries, cheapest first (the coarse part costs
 * about 1 / factor^2 of the exact path; skc_correction_choose). */
#define SKC_CORRECTION_FACTORS { 8, 4, 2 }

/* The dense kernel of @shape (or of @kernel, resampled, when not NULL) at
 * diameter @size px and rotation @angle (radians, counter-clockwise on
 * screen), as skc_family_fit fits it: odd square, unit sum. */
SkcStatus skc_kernel_target (const SkcShapeParams *shape,
                             const SkcKernel *kernel, float size,
                             float angle, SkcKernel **out);

/* The fidelity the filter asks of a complex by default: its
 * skc_complex_photo_psnr in dB; below it the exact path takes over.
 * (The test photo is harder than real ones, so the target errs on the
 * safe side: tests/bench/results/highlights.md.) */
#define SKC_FIDELITY_TARGET_DB 50.0

/* Image PSNR (peak 1, linear light) of @complex against the exact blur
 * with @kernel on a synthetic photo made here (dead leaves: overlapping
 * disks of random gray with natural images' 1/f^2 spectrum and sharp,
 * anti-aliased edges; 256 px plus the kernel's frame).  How well the
 * complex serves an image without highlights: the split apply's error on
 * ordinary content.  Deterministic. */
SkcStatus skc_complex_photo_psnr (const SkcComplex *complex,
                                  const SkcKernel *kernel, double *psnr);

/* skc_complex_photo_psnr for the complex with its coarse correction at
 * @factor (skc_correction_add_rgba): the fidelity of the corrected path
 * on the same synthetic photo (a frame as wide as the largest standard
 * factor's halo skipped). */
SkcStatus skc_corrected_photo_psnr (const SkcComplex *complex,
                                    const SkcKernel *kernel, int factor,
                                    double *psnr);

/* The cheapest of SKC_CORRECTION_FACTORS whose corrected photo PSNR
 * (skc_corrected_photo_psnr) reaches @target dB: *@factor and its
 * *@psnr; none: *@factor 0 and *@psnr the best of them.  The filter's
 * choice for a complex that misses the target alone: corrected at that
 * factor, else the exact path. */
SkcStatus skc_correction_choose (const SkcComplex *complex,
                                 const SkcKernel *kernel, double target,
                                 int *factor, double *psnr);

/* ---------------------------------------------------------------- cat's eye */

/* Optical vignetting across the frame (skc-cateye.c, issue 15): the
 * kernel clipped by a second, offset circle more and more towards the
 * frame's edges, the cut facing away from the centre. */
typedef struct
{
  float strength;       /* clip at the half-diagonal, 0 (none) .. 1      */
  float start;          /* where the clip begins, a fraction 0..1 of the
                         * half-diagonal (1: nowhere)                    */
  float cx, cy;         /* the frame's centre, image pixels              */
  float half_diagonal;  /* px, > 0                                       */
} SkcCateyeParams;

/* Bases of a cat's-eye family, and the quantisation of its field. */
#define SKC_CATEYE_BASES        6
#define SKC_CATEYE_CLIP_STEPS   32
#define SKC_CATEYE_ANGLE_STEPS  128

/* strength 0.5, start 0.3, centre (0, 0), half-diagonal 1. */
void      skc_cateye_params_init (SkcCateyeParams *params);
/* The clip amount (0..1) and its direction (radians, counter-clockwise
 * on screen, from pixel (x, y) towards the centre; 0 where the clip is 0)
 * at pixel (@x, @y), unquantised. */
void      skc_cateye_at (const SkcCateyeParams *params, float x, float y,
                         float *clip, float *angle);
/* @kernel (odd, centred; diameter @diameter px as skc_kernel_target
 * draws it) times the cover of a circle centred clip * diameter / 2
 * from the kernel's centre towards @angle, 1 up to diameter / 2 + 1 px
 * and 0 from diameter / 2 + 2 px on (linear between: clip 0 keeps the
 * kernel's anti-aliased rim), normalised to unit sum.  SKC_ERR_EMPTY if
 * nothing is left. */
SkcStatus skc_cateye_clip (const SkcKernel *kernel, float diameter,
                           float clip, float angle, SkcKernel **out);
/* The family over the clip amount: basis k (of @n_bases, 2..16) stands
 * for @target (the kernel at @fit_diameter px, as the caller turned it)
 * clipped by c_k = k / (n_bases - 1) towards +x (angle 0), basis 0 being
 * a copy of @plain (its complex); the others are fitted in turn, each
 * warm-started from the one before (@options: half its steps from a
 * quarter of its learning rates; progress 0..1 over them).  Offsets are
 * then scaled by @diameter / @fit_diameter and basis k is put at "size"
 * diameter (1 + c_k), so skc_apply_varying_rgba with a field from
 * skc_cateye_field renders the cat's eye.  Halo: skc_family_halo
 * (family, 2 diameter). */
SkcStatus skc_cateye_family (const SkcComplex *plain, const SkcKernel *target,
                             float fit_diameter, float diameter, int n_bases,
                             const SkcFitOptions *options, SkcFamily **out);
/* The (size, angle) field of @rect for such a family: size
 * diameter (1 + c), c and the angle from skc_cateye_at quantised to
 * 1 / SKC_CATEYE_CLIP_STEPS and 2 pi / SKC_CATEYE_ANGLE_STEPS. */
SkcStatus skc_cateye_field (const SkcCateyeParams *params, float diameter,
                            SkcRect rect, float *field);
/* The cat's eye of such a family over @out's rect: skc_cateye_field over
 * @in's rect (on the apply's threads), then skc_apply_varying_rgba with
 * every pixel on its run path (the field is piecewise constant, so the
 * engine's exact per-pixel path would buy nothing; skc-cateye-apply.c).
 * Halo, bounds and errors as skc_apply_varying_rgba's, with @diameter
 * the family's (its basis 0 size); SKC_ERR_INVALID also for bad
 * @params. */
SkcStatus skc_cateye_apply_rgba (const SkcFamily *family,
                                 const SkcCateyeParams *params,
                                 float diameter, SkcInView in,
                                 SkcRect bounds, SkcOutView out,
                                 const SkcApplyOptions *options);

/* ---------------------------------------------------------------- chromatic bokeh */

/* A kernel per colour channel (skc-chroma.c, issue 15).  Longitudinal
 * chromatic aberration of @amount (-1..1, clamped; NaN is 0) at diameter
 * @size: the red, green and blue diameters.  amount > 0: red and blue
 * @size, green size (1 - amount) (purple rims); amount < 0: green @size,
 * red and blue size (1 + amount) (green rims).  None exceeds @size. */
void      skc_chroma_sizes (float size, float amount, float sizes[3]);
/* Colour channel @channel (0 red, 1 green, 2 blue) of a kernel image as a
 * kernel, as skc_kernel_from_image reads a gray one (an alpha channel
 * multiplies; odd size; unit sum).  A gray image gives its one kernel for
 * every channel.  SKC_ERR_EMPTY if that channel has no positive mass. */
SkcStatus skc_kernel_from_image_channel (const SkcImage *image, int channel,
                                         SkcKernel **out);
/* One filter of RGBA with the contract of skc_apply_rgba: the apply of
 * kernel group @group (skc_apply_channels_rgba). */
typedef SkcStatus (*SkcChannelApply) (void *data, int group, SkcInView in,
                                      SkcRect bounds, SkcOutView out,
                                      const SkcApplyOptions *options);
/* Per-channel filtering: colour channel c of @out comes from @apply of
 * group @group[c] (0 .. @n_groups - 1, n_groups 1..3), alpha from green's
 * group; each group is applied once, over all four channels (green's
 * straight into @out, the others into a roi-sized scratch).  The
 * contract of skc_apply_rgba otherwise (the halo: the largest of the
 * groups'). */
SkcStatus skc_apply_channels_rgba (int n_groups, const int group[3],
                                   SkcChannelApply apply, void *data,
                                   SkcInView in, SkcRect bounds,
                                   SkcOutView out,
                                   const SkcApplyOptions *options);

/* ---------------------------------------------------------------- occlusion */

/* Occlusion-aware depth blur (skc-occlusion.c, issue 15): the map mode's
 * blur with the map read as depth, so that a sharp foreground does not
 * bleed into the blurred background behind it (the halo of a gather) and
 * a blurred foreground spreads over a sharp background (instead of being
 * cut out).  The image is split into depth layers (behind the focus, at
 * it, in front of it), each blurred through the varying engine with its
 * own pixels' sizes, the parts of a layer hidden by nearer ones filled
 * in from its visible rim, and the layers composited far to near with
 * "over", alpha as coverage. */
typedef struct
{
  int near_white;  /* nonzero: larger map values are nearer (a disparity
                    * map, most depth estimators); 0: smaller ones      */
  int holes;       /* nonzero: a map value of 0 is unknown depth (a
                    * stereo map's holes), filled from its neighbours;
                    * non-finite values are unknown either way         */
} SkcOcclusionParams;

/* near_white 1, holes 0. */
void      skc_occlusion_params_init (SkcOcclusionParams *params);
/* Input needed on every side of the roi, for a varying apply whose halo
 * is @halo (skc_family_halo at the largest diameter): hidden parts and
 * the layers' fields are filled up to @halo px away, holes as far again:
 * 2 @halo, or 3 @halo with holes. */
int       skc_occlusion_halo (int halo, const SkcOcclusionParams *params);
/* The blur of skc_apply_varying_rgba with the field of @vary (mode
 * SKC_VARY_MAP: diameter, rotation, focus, range; the focus and the map
 * oriented by @occ) made occlusion-aware.  @map holds one depth value per
 * pixel of @in's rect, rows @map_stride floats apart.  @in must hold roi
 * grown by skc_occlusion_halo (skc_family_halo (family, diameter)),
 * clipped to @bounds.  A layer with nothing in reach of a part of the
 * roi is not applied there.  Bit-identical for any roi tiling and thread
 * count.  SKC_ERR_INVALID for bad arguments (another mode, range <= 0,
 * a short @in). */
SkcStatus skc_occlusion_apply_rgba (const SkcFamily *family,
                                    const SkcVaryParams *vary,
                                    const SkcOcclusionParams *occ,
                                    const float *map, int map_stride,
                                    SkcInView in, SkcRect bounds,
                                    SkcOutView out,
                                    const SkcApplyOptions *options);

/* ---------------------------------------------------------------- baselines */

/* PST (Schuster et al. 2020): the same complex optimised by parallel
 * tempering instead of gradients (see skc-pst.c), with the same loss, the
 * same initialisations and the same DC constraint. */
typedef struct
{
  size_t   struct_size;     /* sizeof (SkcPstOptions), set by _init       */
  int      n_samples, n_layers;
  SkcInit  init;
  uint64_t seed;
  int      iterations;      /* each runs one move per chain (default 10000)*/
  int      n_chains;        /* replicas = candidates per iteration (10)   */
  float    t_min, t_max;    /* temperatures relative to the initial loss  */
  float    sigma_offset;    /* move size, units of the kernel radius      */
  float    sigma_weight;    /* move size, units of 1/n_samples            */
  int      exchange_every;  /* iterations between replica exchanges       */
  int      replace_every;   /* iterations between band replacements       */
  float    eps;
  int      dc_constraint;
  int      loss_scales;
  int      n_threads;       /* 0: all cores; never changes the result     */
  SkcProgressFunc progress;
  void    *progress_data;
} SkcPstOptions;

void      skc_pst_options_init (SkcPstOptions *options);
SkcStatus skc_fit_pst (const SkcKernel *target, const SkcPstOptions *options,
                       SkcComplex **out);

/* LowRank (McGraw 2015): the kernel's SVD truncated to @rank (1..8),
 * written as @rank summed branches of a horizontal and a vertical layer,
 * one whole-pixel tap per column/row (2 rank M taps for an M x M kernel).
 * Kernels wider or taller than SKC_MAX_SAMPLES are rejected. */
SkcStatus skc_fit_lowrank (const SkcKernel *target, int rank, SkcComplex **out);

/* Families of the baselines for spatially varying filtering
 * (skc-family-baselines.c), over the diameters skc_family_fit uses (the
 * same arguments, the same SKC_ERR_INVALID cases) and its targets, so that
 * every method's bases interpolate in the same apply. */

/* PST: each basis is skc_fit_pst (@options) of the target at its size,
 * fitted independently (the paper's PST: nothing keeps tap i the same
 * sample from basis to basis).  Deterministic; progress runs 0..1 over
 * all bases; SKC_ERR_CANCELLED if it asks to stop. */
SkcStatus skc_family_fit_pst (const SkcShapeParams *shape,
                              const SkcKernel *kernel, float min_size,
                              float max_size, int n_bases,
                              const SkcPstOptions *options, SkcFamily **out);
/* LowRank: each basis is skc_fit_lowrank (@rank, 1..8) of the target at
 * its size on one grid (zero-padded to the smallest centred odd rectangle
 * that holds every basis's nonzero weights), so tap i is the same
 * whole-pixel offset in every basis; branch k of each basis is
 * negated where that makes its correlation with the next larger basis's
 * branch k (skc_lowrank_branch_correlation) non-negative, and each basis
 * is scaled to unit DC gain.  No fitting, milliseconds.  SKC_ERR_INVALID
 * also when the largest kernel is wider or taller than SKC_MAX_SAMPLES. */
SkcStatus skc_family_fit_lowrank (const SkcShapeParams *shape,
                                  const SkcKernel *kernel, float min_size,
                                  float max_size, int n_bases, int rank,
                                  SkcFamily **out);
/* Sum over the layers of branch @branch of the tap-by-tap products of
 * @a's and @b's weights (for LowRank bases: u . u' + v . v', each vector
 * times the root of its singular value).  NAN if the two differ in
 * structure or branches, or @branch is out of range. */
double    skc_lowrank_branch_correlation (const SkcComplex *a,
                                          const SkcComplex *b, int branch);
/* A family of copies of @bases at diameters @sizes (increasing, > 0),
 * with no fitting: for tests and for families made elsewhere.
 * SKC_ERR_INVALID if the bases differ in layers, samples or branches. */
SkcStatus skc_family_from_bases (int n_bases, const float *sizes,
                                 const SkcComplex *const *bases,
                                 SkcFamily **out);

/* ---------------------------------------------------------------- references */

/* Direct dense convolution of one plane, clamped borders.  O(w h k^2). */
SkcStatus skc_convolve_dense (const float *src, int width, int height,
                              const SkcKernel *kernel, float *dst);
/* The same through FFTW (single precision), clamped borders. */
SkcStatus skc_convolve_fft   (const float *src, int width, int height,
                              const SkcKernel *kernel, float *dst);

/* ---------------------------------------------------------------- metrics */

/* PSNR in dB of @a against @b over @n values with peak value @peak.
 * Identical inputs give INFINITY. */
double skc_psnr (const float *a, const float *b, size_t n, double peak);
/* The same over the rectangle (x, y, w, h) of two width-wide planes. */
double skc_psnr_rect (const float *a, const float *b, int width,
                      int x, int y, int w, int h, double peak);

/* Image-domain PSNR (peak 1) of @complex against dense convolution with
 * @kernel, both applied to @plane (linear light), skipping a border frame
 * as wide as the kernel's half-size or the complex's reach.  @psnr_srgb, if
 * not NULL, gets the PSNR of the two results encoded to sRGB. */
SkcStatus skc_eval_image_psnr (const SkcComplex *complex, const SkcKernel *kernel,
                               const float *plane, int width, int height,
                               double *psnr, double *psnr_srgb);
/* Kernel-domain PSNR of @complex's impulse response (synthesised on a
 * canvas large enough for its reach) against @kernel over the kernel's
 * frame, peak = the kernel's peak. */
SkcStatus skc_eval_kernel_psnr (const SkcComplex *complex, const SkcKernel *kernel,
                                double *psnr);
/* Rec. 709 luminance in linear light of an sRGB-encoded image (malloc()ed). */
SkcStatus skc_image_luminance_linear (const SkcImage *image, float **out);

/* Seconds from a monotonic clock. */
double skc_time_now (void);

#ifdef __cplusplus
}
#endif

#endif /* SKC_H */
