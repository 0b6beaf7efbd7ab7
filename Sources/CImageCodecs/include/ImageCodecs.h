#ifndef GANREPL_IMAGE_CODECS_H
#define GANREPL_IMAGE_CODECS_H

#include <stddef.h>
#include <stdint.h>

/* A decoded 8-bit image, rows top to bottom, channels interleaved (1 = gray, 3 = RGB).
   `pixels` is malloc'd by the decoder; free it with gr_image_free. */
typedef struct {
  int width;
  int height;
  int channels;
  uint8_t *pixels;
} gr_image;

/* The most pixels a decoder accepts: 2^27 = 134217728 (128 megapixels, e.g. 16384×8192),
   more than any camera photo. A header claiming more is refused before anything is
   allocated (decoding and resizing one needs about 20 bytes a pixel). */
#define GR_MAX_PIXELS ((uint64_t)1 << 27)

/* The largest file gr_load_file reads: 1 GiB. */
#define GR_MAX_FILE_BYTES ((uint64_t)1 << 30)

/* Decoders return 0 on success; otherwise nonzero, with a message in `error` (at most
   `error_size` bytes, NUL-terminated) and no pixels to free. */

/* JPEG (baseline, progressive, gray, RGB/YCbCr, CMYK/YCCK). CMYK is converted to RGB.
   When min_side > 0 the decoder uses libjpeg-turbo's DCT-domain scaling (1/8, 1/4, 1/2)
   to the smallest size whose both sides stay >= min_side: much faster, and a good box
   filter. */
int gr_decode_jpeg(const uint8_t *data, size_t size, int min_side, gr_image *out,
                   char *error, size_t error_size);

/* PNG of any kind (gray, gray+alpha, palette, RGB, RGBA, 1-16 bits): to 8-bit gray if
   the file has no colour, else to 8-bit RGB. Transparent pixels are composited onto white. */
int gr_decode_png(const uint8_t *data, size_t size, gr_image *out, char *error,
                  size_t error_size);

/* Writes an 8-bit gray (1) or RGB (3) PNG. */
int gr_encode_png(const char *path, const uint8_t *pixels, int width, int height,
                  int channels, char *error, size_t error_size);

/* Converts an 8-bit image to `out_channels` (gray → RGB repeats; RGB → gray is BT.601
   luma) and resizes it to size×size: squashed, or (crop != 0) the centre square of the
   shorter side. Shrinking averages areas; enlarging is bilinear. `out` holds
   size·size·out_channels bytes. Returns nonzero if out of memory, or if a side or size is
   below 1 or a channel count is not 1 or 3. Any ratio of source to size works: the filter
   tables are sized from it. */
int gr_resize(const uint8_t *in, int width, int height, int in_channels, int size, int out_channels,
              int crop, uint8_t *out);

/* The loader's whole path for one file: read it, decode it (JPEG scaled in the DCT domain
   while both sides stay >= size), convert and resize it into `out` (size·size·channels
   bytes). Returns nonzero with a message for unreadable or undecodable files. */
int gr_load_file(const char *path, int size, int channels, int crop, uint8_t *out, char *error,
                 size_t error_size);

/* gr_load_file's path after reading: decode `length` bytes of JPEG or PNG, convert and
   resize into `out`. What the fuzzers drive. */
int gr_load_memory(const uint8_t *data, size_t length, int size, int channels, int crop,
                   uint8_t *out, char *error, size_t error_size);

void gr_image_free(gr_image *image);

/* Encodes an 8-bit gray (1) or RGB (3) image as PNG bytes in memory (what a terminal's
   inline-image protocol sends). `*out` is malloc'd; free it with free(). */
int gr_encode_png_memory(const uint8_t *pixels, int width, int height, int channels,
                         uint8_t **out, size_t *size, char *error, size_t error_size);

#endif
