/* libFuzzer: gr_load_file's path after reading (sniff, decode, convert, resize) with the
   size, channels and crop taken from the input's last byte, so every combination is met
   by JPEG and PNG inputs alike. Built by scripts/fuzz-codecs. */
#include "ImageCodecs.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  uint8_t last = data[size - 1];
  int side = 1 + (last & 63), channels = (last & 64) ? 3 : 1, crop = last >> 7;
  uint8_t *out = malloc((size_t)side * side * channels);
  char error[256];
  gr_load_memory(data, size, side, channels, crop, out, error, sizeof error);
  free(out);
  return 0;
}
