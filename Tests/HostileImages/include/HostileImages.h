#ifndef GANREPL_HOSTILE_IMAGES_H
#define GANREPL_HOSTILE_IMAGES_H

#include <stddef.h>
#include <stdint.h>

#include "ImageCodecs.h"

/* Test fixtures: image files made with the PNG writer of Sources/CImageCodecs and the
   test-only writers below (png_kinds.c, jpeg_writer.c). */

/* The PNG kinds gr_encode_png_kind writes, to test that every kind decodes. */
enum gr_png_kind {
  GR_PNG_GRAY_ALPHA = 0, /* 8-bit gray + alpha (alpha = the gray value's complement) */
  GR_PNG_RGBA = 1,       /* 8-bit RGB + alpha */
  GR_PNG_PALETTE = 2,    /* 8-bit indexed colour, the pixels quantised to 3-3-2 bits */
  GR_PNG_GRAY16 = 3,     /* 16-bit gray, each value v stored as v·257 */
  GR_PNG_RGB16 = 4,      /* 16-bit RGB, likewise */
};

/* Writes `pixels` (8-bit RGB) as a PNG of `kind`. 16-bit kinds are written with the
   low-level API so the samples are stored exactly (no gamma conversion). */
int gr_encode_png_kind(const char *path, const uint8_t *rgb, int width, int height, int kind,
                       char *error, size_t error_size);

/* Writes an 8-bit JPEG from gray (1) or RGB (3) pixels. `color` picks what the file stores:
   0 as given (gray or YCbCr), 1 CMYK (Adobe-inverted, as Photoshop writes it). `progressive`
   makes a multi-scan file. */
int gr_encode_jpeg(const char *path, const uint8_t *pixels, int width, int height,
                   int channels, int quality, int progressive, int color, char *error,
                   size_t error_size);


/* Writes every hostile image of Tests/Hostile/images into `dir` (which must exist).
   Returns NULL, or what failed. */
const char *gr_write_hostile_images(const char *dir);

/* Runs `body(context)`, which may call the writers below; returns NULL, or what failed. */
const char *gr_fixture_call(void (*body)(void *), void *context);

/* A smooth test card of width×height×channels in `dir/name`, as PNG, PNG of `kind`
   (enum gr_png_kind) or JPEG (quality 85). */
void gr_png(const char *dir, const char *name, int width, int height, int channels);
void gr_png_kind(const char *dir, const char *name, int width, int height, int kind);
void gr_jpeg(const char *dir, const char *name, int width, int height, int channels, int progressive, int cmyk);
/* `dir/from` cut to `keep` bytes, as `dir/name`. */
void gr_truncated(const char *dir, const char *from, const char *name, size_t keep);
/* `dir/from` with its header claiming width×height, as `dir/name`. */
void gr_png_claiming(const char *dir, const char *from, const char *name, uint32_t width, uint32_t height);
void gr_jpeg_claiming(const char *dir, const char *from, const char *name, unsigned width, unsigned height);

#endif
