#ifndef GANREPL_HOSTILE_IMAGES_H
#define GANREPL_HOSTILE_IMAGES_H

#include <stddef.h>
#include <stdint.h>

#include "ImageCodecs.h"

/* Test fixtures: image files made with the encoders of Sources/CImageCodecs. */

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
