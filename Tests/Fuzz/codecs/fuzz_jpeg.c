/* libFuzzer: any bytes through the JPEG decoder (at full size and DCT-scaled), then the
   loader's resize. Built by scripts/fuzz-codecs. */
#include "ImageCodecs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char error[256];
  gr_image image;
  if (gr_decode_jpeg(data, size, 0, &image, error, sizeof error) == 0) gr_image_free(&image);
  uint8_t out[24 * 24 * 3];
  gr_load_memory(data, size, 24, 3, 1, out, error, sizeof error);
  return 0;
}
