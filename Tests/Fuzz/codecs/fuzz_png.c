/* libFuzzer: any bytes through the PNG decoder, then the loader's resize. Built by
   scripts/fuzz-codecs. */
#include "ImageCodecs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char error[256];
  gr_image image;
  if (gr_decode_png(data, size, &image, error, sizeof error) == 0) gr_image_free(&image);
  uint8_t out[24 * 24];
  gr_load_memory(data, size, 24, 1, 0, out, error, sizeof error);
  return 0;
}
