#include "ImageCodecs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>

/* libpng's simplified API reports errors in image.message instead of longjmp'ing out. */

int gr_decode_png(const uint8_t *data, size_t size, gr_image *out, char *error,
                  size_t error_size) {
  png_image image;
  memset(&image, 0, sizeof(image));
  memset(out, 0, sizeof(*out));
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, data, size)) {
    snprintf(error, error_size, "%s", image.message);
    return 1;
  }
  int color = (image.format & PNG_FORMAT_FLAG_COLOR) != 0;
  image.format = color ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
  int channels = color ? 3 : 1;
  uint8_t *pixels = malloc(PNG_IMAGE_SIZE(image));
  if (!pixels) {
    snprintf(error, error_size, "out of memory for a %ux%u image", image.width, image.height);
    png_image_free(&image);
    return 1;
  }
  png_color white = {255, 255, 255};
  if (!png_image_finish_read(&image, &white, pixels, 0, NULL)) {
    snprintf(error, error_size, "%s", image.message);
    free(pixels);
    png_image_free(&image);
    return 1;
  }
  out->width = (int)image.width;
  out->height = (int)image.height;
  out->channels = channels;
  out->pixels = pixels;
  return 0;
}

int gr_encode_png(const char *path, const uint8_t *pixels, int width, int height,
                  int channels, char *error, size_t error_size) {
  png_image image;
  memset(&image, 0, sizeof(image));
  image.version = PNG_IMAGE_VERSION;
  image.width = (png_uint_32)width;
  image.height = (png_uint_32)height;
  image.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  if (!png_image_write_to_file(&image, path, 0, pixels, 0, NULL)) {
    snprintf(error, error_size, "%s", image.message);
    return 1;
  }
  return 0;
}
