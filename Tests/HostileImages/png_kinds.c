/* Writes PNGs of the kinds the library's own writer does not (alpha, palette, 16-bit), for
   the tests and the fuzzers' seeds: every kind a dataset folder may hold must decode. */
#include "HostileImages.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <png.h>

int gr_encode_png_kind(const char *path, const uint8_t *rgb, int width, int height, int kind,
                       char *error, size_t error_size) {
  FILE *volatile file = fopen(path, "wb");
  if (!file) {
    snprintf(error, error_size, "cannot open %s for writing", path);
    return 1;
  }
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png ? png_create_info_struct(png) : NULL;
  uint8_t *volatile row = NULL;
  if (!png || !info || setjmp(png_jmpbuf(png))) {
    snprintf(error, error_size, "libpng could not write %s", path);
    png_destroy_write_struct(&png, &info);
    fclose(file);
    free(row);
    return 1;
  }
  png_init_io(png, file);
  int depth = (kind == GR_PNG_GRAY16 || kind == GR_PNG_RGB16) ? 16 : 8;
  int type = kind == GR_PNG_GRAY_ALPHA ? PNG_COLOR_TYPE_GRAY_ALPHA
           : kind == GR_PNG_RGBA       ? PNG_COLOR_TYPE_RGB_ALPHA
           : kind == GR_PNG_PALETTE    ? PNG_COLOR_TYPE_PALETTE
           : kind == GR_PNG_GRAY16     ? PNG_COLOR_TYPE_GRAY
                                       : PNG_COLOR_TYPE_RGB;
  png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, depth, type, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (kind == GR_PNG_PALETTE) {
    png_color palette[256];
    for (int i = 0; i < 256; i++) {
      palette[i].red = (png_byte)(((i >> 5) & 7) * 255 / 7);
      palette[i].green = (png_byte)(((i >> 2) & 7) * 255 / 7);
      palette[i].blue = (png_byte)((i & 3) * 255 / 3);
    }
    png_set_PLTE(png, info, palette, 256);
  }
  png_write_info(png, info);
  row = malloc((size_t)width * 8);
  if (!row) png_error(png, "out of memory");
  for (int y = 0; y < height; y++) {
    uint8_t *out = row;
    for (int x = 0; x < width; x++) {
      const uint8_t *p = rgb + ((size_t)y * width + x) * 3;
      int gray = (299 * p[0] + 587 * p[1] + 114 * p[2] + 500) / 1000;
      uint8_t alpha = (x % 4 == 3) ? 0 : 255; /* every 4th column transparent */
      switch (kind) {
      case GR_PNG_GRAY_ALPHA: *out++ = (uint8_t)gray; *out++ = alpha; break;
      case GR_PNG_RGBA: *out++ = p[0]; *out++ = p[1]; *out++ = p[2]; *out++ = alpha; break;
      case GR_PNG_PALETTE: *out++ = (uint8_t)(((p[0] >> 5) << 5) | ((p[1] >> 5) << 2) | (p[2] >> 6)); break;
      case GR_PNG_GRAY16: *out++ = (uint8_t)gray; *out++ = (uint8_t)gray; break; /* v·257, big-endian */
      default:
        for (int c = 0; c < 3; c++) { *out++ = p[c]; *out++ = p[c]; }
      }
    }
    png_write_row(png, row);
  }
  png_write_end(png, NULL);
  png_destroy_write_struct(&png, &info);
  fclose(file);
  free(row);
  return 0;
}
