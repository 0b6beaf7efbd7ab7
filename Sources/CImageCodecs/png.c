#include "ImageCodecs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>

/* Decoding uses libpng's low-level API (errors longjmp back here); encoding the simplified
   API, which reports errors in image.message. */

/* Reads from a memory buffer for libpng. */
typedef struct {
  const uint8_t *data;
  size_t size;
  size_t offset;
} memory_source;

static void read_memory(png_structp png, png_bytep out, png_size_t count) {
  memory_source *source = (memory_source *)png_get_io_ptr(png);
  if (source->offset + count > source->size) png_error(png, "the PNG data ends early (truncated file)");
  memcpy(out, source->data + source->offset, count);
  source->offset += count;
}

static void on_png_error(png_structp png, png_const_charp message) {
  char *buffer = (char *)png_get_error_ptr(png);
  snprintf(buffer, 200, "%s", message);
  png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp message) { (void)png; (void)message; }

/* The low-level API, so samples are taken as stored (16-bit: the high byte) rather than
   converted through gamma as the simplified API does for 16-bit files. */
int gr_decode_png(const uint8_t *data, size_t size, gr_image *out, char *error,
                  size_t error_size) {
  char message[200] = "unreadable PNG";
  memset(out, 0, sizeof(*out));
  memory_source source = {data, size, 0};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, message, on_png_error, on_png_warning);
  png_infop info = png ? png_create_info_struct(png) : NULL;
  uint8_t *volatile rows = NULL;
  uint8_t *volatile pixels = NULL;
  png_bytep *volatile pointers = NULL;
  if (!png || !info || setjmp(png_jmpbuf(png))) {
    snprintf(error, error_size, "%s", message);
    png_destroy_read_struct(&png, &info, NULL);
    free(rows);
    free(pixels);
    free(pointers);
    return 1;
  }
  png_set_read_fn(png, &source, read_memory);
  png_read_info(png, info);
  png_uint_32 width = png_get_image_width(png, info);
  png_uint_32 height = png_get_image_height(png, info);
  int type = png_get_color_type(png, info);
  if ((uint64_t)width * height > GR_MAX_PIXELS) {
    snprintf(message, sizeof message,
             "the PNG header claims %ux%u pixels, more than the %llu (128 megapixels) ganrepl reads",
             (unsigned)width, (unsigned)height, (unsigned long long)GR_MAX_PIXELS);
    png_longjmp(png, 1);
  }
  png_set_strip_16(png);
  png_set_packing(png);
  if (type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (type == PNG_COLOR_TYPE_GRAY) png_set_expand_gray_1_2_4_to_8(png);
  if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  int components = png_get_channels(png, info); /* 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA */
  size_t stride = png_get_rowbytes(png, info);
  rows = malloc(stride * height);
  pointers = malloc(sizeof(png_bytep) * height);
  int channels = components >= 3 ? 3 : 1;
  pixels = malloc((size_t)width * height * channels);
  if (!rows || !pointers || !pixels) png_error(png, "out of memory");
  for (png_uint_32 y = 0; y < height; y++) pointers[y] = rows + y * stride;
  png_read_image(png, pointers);
  png_read_end(png, NULL);
  int alpha = components == 2 || components == 4;
  for (png_uint_32 y = 0; y < height; y++) {
    const uint8_t *from = rows + y * stride;
    uint8_t *to = pixels + (size_t)y * width * channels;
    for (png_uint_32 x = 0; x < width; x++) {
      const uint8_t *p = from + (size_t)x * components;
      int a = alpha ? p[components - 1] : 255;
      for (int c = 0; c < channels; c++) {
        /* Transparent pixels are composited onto white. */
        to[(size_t)x * channels + c] = (uint8_t)((p[c] * a + 255 * (255 - a) + 127) / 255);
      }
    }
  }
  png_destroy_read_struct(&png, &info, NULL);
  free(rows);
  free(pointers);
  out->width = (int)width;
  out->height = (int)height;
  out->channels = channels;
  out->pixels = pixels;
  return 0;
}

/* The simplified API's description of an 8-bit gray (1) or RGB (3) image. */
static png_image simple_image(int width, int height, int channels) {
  png_image image;
  memset(&image, 0, sizeof(image));
  image.version = PNG_IMAGE_VERSION;
  image.width = (png_uint_32)width;
  image.height = (png_uint_32)height;
  image.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  return image;
}

int gr_encode_png(const char *path, const uint8_t *pixels, int width, int height,
                  int channels, char *error, size_t error_size) {
  png_image image = simple_image(width, height, channels);
  if (!png_image_write_to_file(&image, path, 0, pixels, 0, NULL)) {
    snprintf(error, error_size, "%s", image.message);
    return 1;
  }
  return 0;
}

int gr_encode_png_memory(const uint8_t *pixels, int width, int height, int channels,
                         uint8_t **out, size_t *size, char *error, size_t error_size) {
  png_image image = simple_image(width, height, channels);
  png_alloc_size_t bytes = 0;
  *out = NULL;
  *size = 0;
  if (!png_image_write_to_memory(&image, NULL, &bytes, 0, pixels, 0, NULL)) {
    snprintf(error, error_size, "%s", image.message);
    return 1;
  }
  uint8_t *buffer = malloc(bytes);
  if (!buffer) {
    snprintf(error, error_size, "out of memory for a %zu-byte PNG", (size_t)bytes);
    return 1;
  }
  if (!png_image_write_to_memory(&image, buffer, &bytes, 0, pixels, 0, NULL)) {
    snprintf(error, error_size, "%s", image.message);
    free(buffer);
    return 1;
  }
  *out = buffer;
  *size = (size_t)bytes;
  return 0;
}
