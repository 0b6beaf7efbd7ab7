/* Writes JPEGs of every kind the loader must read (gray, RGB, progressive, Adobe CMYK), for
   the tests and the fuzzers' seeds. Only tests write JPEGs: the library decodes them. */
#include "HostileImages.h"
#include "../../Sources/CImageCodecs/jpeg_errors.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

int gr_encode_jpeg(const char *path, const uint8_t *pixels, int width, int height,
                   int channels, int quality, int progressive, int color, char *error,
                   size_t error_size) {
  struct jpeg_compress_struct cinfo;
  jpeg_errors errors;
  FILE *volatile file = NULL;
  uint8_t *volatile row = NULL;
  cinfo.err = jpeg_errors_init(&errors);
  if (setjmp(errors.escape)) {
    snprintf(error, error_size, "%s", errors.message);
    jpeg_destroy_compress(&cinfo);
    if (file) fclose(file);
    free(row);
    return 1;
  }
  jpeg_create_compress(&cinfo);
  file = fopen(path, "wb");
  if (!file) {
    snprintf(error, error_size, "cannot open %s for writing", path);
    jpeg_destroy_compress(&cinfo);
    return 1;
  }
  jpeg_stdio_dest(&cinfo, file);
  cinfo.image_width = (JDIMENSION)width;
  cinfo.image_height = (JDIMENSION)height;
  int cmyk = color == 1 && channels == 3;
  cinfo.input_components = cmyk ? 4 : channels;
  cinfo.in_color_space = cmyk ? JCS_CMYK : (channels == 1 ? JCS_GRAYSCALE : JCS_RGB);
  jpeg_set_defaults(&cinfo);
  if (cmyk) jpeg_set_colorspace(&cinfo, JCS_CMYK); /* writes an Adobe marker */
  jpeg_set_quality(&cinfo, quality, TRUE);
  if (progressive) jpeg_simple_progression(&cinfo);
  jpeg_start_compress(&cinfo, TRUE);
  row = malloc((size_t)width * cinfo.input_components);
  if (!row) {
    snprintf(errors.message, sizeof errors.message, "out of memory for a %d-pixel row", width);
    longjmp(errors.escape, 1);
  }
  while (cinfo.next_scanline < cinfo.image_height) {
    const uint8_t *source = pixels + (size_t)cinfo.next_scanline * width * channels;
    if (cmyk) {
      /* Inverted CMYK with no black: R = C·K/255 with K = 255 gives back R. */
      for (int x = 0; x < width; x++) {
        row[4 * x] = source[3 * x];
        row[4 * x + 1] = source[3 * x + 1];
        row[4 * x + 2] = source[3 * x + 2];
        row[4 * x + 3] = 255;
      }
    } else {
      memcpy(row, source, (size_t)width * channels);
    }
    JSAMPROW rows[1] = {row};
    jpeg_write_scanlines(&cinfo, rows, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  fclose(file);
  free(row);
  return 0;
}
