/* Writes the small image files the codec fuzzers start from, and the hostile images of
   Tests/Hostile/images (Tests/HostileImages), with the encoders of Sources/CImageCodecs:

       make_inputs SEEDS_DIR HOSTILE_DIR

   Deterministic: the same files every run. */
#include "HostileImages.h"

#include <stdio.h>

static void write_seeds(void *dir) {
  const char *seeds = dir;
  /* Seeds: every kind each decoder handles, small. */
  gr_png(seeds, "gray-8x8.png", 8, 8, 1);
  gr_png(seeds, "rgb-13x7.png", 13, 7, 3);
  gr_png(seeds, "rgb-1x1.png", 1, 1, 3);
  gr_png(seeds, "gray-300x2.png", 300, 2, 1);
  gr_png_kind(seeds, "gray-alpha-9x9.png", 9, 9, GR_PNG_GRAY_ALPHA);
  gr_png_kind(seeds, "rgba-9x9.png", 9, 9, GR_PNG_RGBA);
  gr_png_kind(seeds, "palette-9x9.png", 9, 9, GR_PNG_PALETTE);
  gr_png_kind(seeds, "gray16-9x9.png", 9, 9, GR_PNG_GRAY16);
  gr_png_kind(seeds, "rgb16-9x9.png", 9, 9, GR_PNG_RGB16);
  gr_jpeg(seeds, "gray-8x8.jpg", 8, 8, 1, 0, 0);
  gr_jpeg(seeds, "rgb-16x16.jpg", 16, 16, 3, 0, 0);
  gr_jpeg(seeds, "rgb-progressive-24x17.jpg", 24, 17, 3, 1, 0);
  gr_jpeg(seeds, "cmyk-16x16.jpg", 16, 16, 3, 0, 1);
  gr_jpeg(seeds, "rgb-1x1.jpg", 1, 1, 3, 0, 0);
  gr_jpeg(seeds, "rgb-200x3.jpg", 200, 3, 3, 0, 0);
  gr_truncated(seeds, "rgb-13x7.png", "truncated-rgb-13x7.png", 60);
  gr_truncated(seeds, "rgb-progressive-24x17.jpg", "truncated-progressive.jpg", 300);
  gr_png_claiming(seeds, "rgb-13x7.png", "claims-100000x100000.png", 100000, 100000);
  gr_png_claiming(seeds, "rgb-13x7.png", "claims-4000x1.png", 4000, 1);
  gr_jpeg_claiming(seeds, "rgb-16x16.jpg", "claims-65000x65000.jpg", 65000, 65000);
  gr_jpeg_claiming(seeds, "rgb-16x16.jpg", "claims-3000x2.jpg", 3000, 2);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: make_inputs SEEDS_DIR HOSTILE_DIR\n");
    return 1;
  }
  const char *failed = gr_fixture_call(write_seeds, argv[1]);
  if (!failed) failed = gr_write_hostile_images(argv[2]);
  if (failed) {
    fprintf(stderr, "make_inputs: %s\n", failed);
    return 1;
  }
  return 0;
}
