/* What skc-image.c shares with skc-image-stream.c: libpng's silent
 * handlers, the header checks, PFM's header and byte order. */
#ifndef SKC_IMAGE_PRIVATE_H
#define SKC_IMAGE_PRIVATE_H

#include <png.h>
#include <stdio.h>

#include "skc.h"

/* libpng error and warning handlers that never print (the core is
 * silent): an error longjmps to the caller's setjmp. */
void      skc_png_silent_error   (png_structp png, png_const_charp msg);
void      skc_png_silent_warning (png_structp png, png_const_charp msg);

/* A declared size against @max_side and SKC_MAX_IMAGE_PIXELS, before
 * anything is decoded: SKC_OK, SKC_ERR_FORMAT (0 or negative),
 * SKC_ERR_TOO_LARGE. */
SkcStatus skc_image_size_ok      (long width, long height, int max_side);

/* A PFM's header, @fp just after the two magic bytes: its size (set as
 * soon as read, also when refused), whether its floats need swapping,
 * and with @check_data that the file holds every declared sample; @fp is
 * left at the data. */
SkcStatus skc_pfm_header         (FILE *fp, int channels, int max_side,
                                  int *width, int *height, int *swap,
                                  int check_data);

/* A PNG whose header (read into @info) declares more raw bytes than
 * deflate can make of @avail bytes of file: SKC_ERR_FORMAT, before any
 * buffer for its pixels is allocated. */
SkcStatus skc_png_data_ok        (png_structp png, png_infop info,
                                  unsigned long long avail);

/* skc_image_decode_png of an image with @channels channels after
 * expansion (0: any); another count is refused from the header, before
 * any pixel buffer is allocated (inline data is 1 channel). */
SkcStatus skc_image_decode_png_channels (const unsigned char *data,
                                         size_t length, int channels,
                                         SkcImage **out);

/* @n samples of @src as 16-bit big-endian PNG codes in @row (2 @n bytes):
 * 0..1 rounded to 0..65535, below 0 and NaN to 0, above 1 to 65535. */
void      skc_png_row16          (const float *src, size_t n, png_bytep row);

int       skc_host_is_little_endian (void);
void      skc_swap4              (unsigned char *p);

/* 1 for a .png path, 2 for .pfm (any case), 0 otherwise. */
int       skc_image_file_kind    (const char *path);

#endif
