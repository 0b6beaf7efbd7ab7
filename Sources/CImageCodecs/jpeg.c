#include "ImageCodecs.h"
#include "jpeg_errors.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

/* Warnings stay silent, but a file that ends early is refused at once: libjpeg would fill
   the rest with grey, and a few hundred bytes whose header claims 100 megapixels would
   take seconds to fill. Other warnings, such as extraneous bytes before a marker, leave a
   correct image. This is emit_message, not output_message: libjpeg calls the latter for
   the first warning only, so a premature end after another warning would pass. */
static void on_emit(j_common_ptr cinfo, int level) {
  jpeg_errors *errors = (jpeg_errors *)cinfo->err;
  if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
    snprintf(errors->message, sizeof errors->message, "the JPEG data ends early (truncated file)");
    longjmp(errors->escape, 1);
  }
}

int gr_decode_jpeg(const uint8_t *data, size_t size, int min_side, gr_image *out,
                   char *error, size_t error_size) {
  struct jpeg_decompress_struct cinfo;
  jpeg_errors errors;
  uint8_t *volatile pixels = NULL;
  uint8_t *volatile row = NULL;
  memset(out, 0, sizeof(*out));
  cinfo.err = jpeg_errors_init(&errors);
  errors.base.emit_message = on_emit;
  if (setjmp(errors.escape)) {
    snprintf(error, error_size, "%s", errors.message);
    jpeg_destroy_decompress(&cinfo);
    free(pixels);
    free(row);
    return 1;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, data, (unsigned long)size);
  jpeg_read_header(&cinfo, TRUE);
  /* Checked before jpeg_start_decompress, which allocates by the header's size (a
     progressive file keeps coefficients for the whole image). */
  if ((uint64_t)cinfo.image_width * cinfo.image_height > GR_MAX_PIXELS) {
    snprintf(error, error_size,
             "the JPEG header claims %ux%u pixels, more than the %llu (128 megapixels) ganrepl reads",
             (unsigned)cinfo.image_width, (unsigned)cinfo.image_height, (unsigned long long)GR_MAX_PIXELS);
    jpeg_destroy_decompress(&cinfo);
    return 1;
  }

  int cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
  if (cmyk) {
    cinfo.out_color_space = JCS_CMYK;
  } else if (cinfo.num_components == 1) {
    cinfo.out_color_space = JCS_GRAYSCALE;
  } else {
    cinfo.out_color_space = JCS_RGB;
  }
  /* Scale by 1/8, 1/4 or 1/2 inside the IDCT (a good box filter, and cheaper): the
     smallest keeping both sides >= min_side. Only these have SIMD reduced IDCTs in
     libjpeg-turbo: 3/8 (which CelebA's 178×218 would allow for 64×64) measured 2.3×
     slower than 1/2 (295 against 128 µs per file, read to resized). */
  cinfo.scale_num = 8;
  cinfo.scale_denom = 8;
  if (min_side > 0) {
    for (unsigned m = 1; m < 8; m *= 2) {
      unsigned w = (cinfo.image_width * m + 7) / 8;
      unsigned h = (cinfo.image_height * m + 7) / 8;
      if (w >= (unsigned)min_side && h >= (unsigned)min_side) {
        cinfo.scale_num = m;
        break;
      }
    }
  }
  jpeg_start_decompress(&cinfo);

  int width = (int)cinfo.output_width;
  int height = (int)cinfo.output_height;
  int in_channels = cinfo.output_components;
  int channels = cmyk ? 3 : in_channels;
  pixels = malloc((size_t)width * height * channels);
  row = malloc((size_t)width * in_channels);
  if (!pixels || !row) {
    snprintf(error, error_size, "out of memory for a %dx%d image", width, height);
    jpeg_destroy_decompress(&cinfo);
    free(pixels);
    free(row);
    return 1;
  }
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW rows[1] = {row};
    int y = (int)cinfo.output_scanline;
    jpeg_read_scanlines(&cinfo, rows, 1);
    uint8_t *target = pixels + (size_t)y * width * channels;
    if (cmyk) {
      /* Adobe writes CMYK JPEGs inverted (255 = no ink), so R = C·K / 255. */
      int inverted = cinfo.saw_Adobe_marker;
      for (int x = 0; x < width; x++) {
        int c = row[4 * x], m = row[4 * x + 1], yy = row[4 * x + 2], k = row[4 * x + 3];
        if (!inverted) { c = 255 - c; m = 255 - m; yy = 255 - yy; k = 255 - k; }
        target[3 * x] = (uint8_t)((c * k + 127) / 255);
        target[3 * x + 1] = (uint8_t)((m * k + 127) / 255);
        target[3 * x + 2] = (uint8_t)((yy * k + 127) / 255);
      }
    } else {
      memcpy(target, row, (size_t)width * channels);
    }
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  free(row);
  out->width = width;
  out->height = height;
  out->channels = channels;
  out->pixels = pixels;
  return 0;
}

void gr_image_free(gr_image *image) {
  free(image->pixels);
  image->pixels = NULL;
}
