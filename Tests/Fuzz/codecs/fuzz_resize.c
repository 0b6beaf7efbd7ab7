/* libFuzzer: gr_resize over any geometry. The first 8 bytes choose width and height
   (1…4096 each, at most 2^14 pixels: any ratio up to 4096:1, yet many runs a second),
   channels in and out, size (1…128) and crop; the rest are the pixels, repeated to fill
   the image. When bit 0 of byte 7 is set the image is flat (one value), and every output
   pixel must equal it: an oracle beyond "no crash". Built by scripts/fuzz-codecs. */
#include "ImageCodecs.h"

#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 9) return 0;
  int width = 1 + ((data[0] | data[1] << 8) & 4095);
  int height = 1 + ((data[2] | data[3] << 8) & 4095);
  if ((size_t)width * height > ((size_t)1 << 14)) height = (int)(((size_t)1 << 14) / width);
  int in_channels = (data[4] & 1) ? 3 : 1, out_channels = (data[4] & 2) ? 3 : 1;
  int crop = (data[4] >> 2) & 1;
  int side = 1 + (data[5] & 127);
  int flat = data[7] & 1;
  const uint8_t *pixels = data + 8;
  size_t count = size - 8, total = (size_t)width * height * in_channels;
  uint8_t *image = malloc(total);
  uint8_t *out = malloc((size_t)side * side * out_channels);
  for (size_t i = 0; i < total; i++) image[i] = flat ? pixels[0] : pixels[i % count];
  if (gr_resize(image, width, height, in_channels, side, out_channels, crop, out) != 0) abort();
  if (flat)
    for (size_t i = 0; i < (size_t)side * side * out_channels; i++)
      if (out[i] != pixels[0]) {
        fprintf(stderr, "flat %d×%d×%d → %d: pixel %zu is %d, not %d\n", width, height, in_channels, side, i,
                out[i], pixels[0]);
        abort();
      }
  free(image);
  free(out);
  return 0;
}
