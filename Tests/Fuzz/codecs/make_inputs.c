/* Writes the small image files the fuzzers start from and the hostile images the Swift tests
   load (Tests/Hostile/images), with the encoders of Sources/CImageCodecs, so both can be
   made again from a fresh clone:

       make_inputs SEEDS_DIR HOSTILE_DIR

   Deterministic: the same files every run. Lying headers are made by patching a valid file
   (the PNG's IHDR CRC is recomputed, so only the size lies). */
#include "ImageCodecs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static char seeds[1024], hostile[1024];

static void fail(const char *what) {
  fprintf(stderr, "make_inputs: %s\n", what);
  exit(1);
}

/* A smooth test card: gradients with a few edges, compressing to a few KB at any size. */
static uint8_t *card(int width, int height, int channels) {
  uint8_t *p = malloc((size_t)width * height * channels);
  if (!p) fail("out of memory");
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      for (int c = 0; c < channels; c++) {
        int v = (x * 255 / (width > 1 ? width - 1 : 1) + c * 80 + ((x / 16 + y / 16) % 2) * 40 + y) & 255;
        p[((size_t)y * width + x) * channels + c] = (uint8_t)v;
      }
  return p;
}

static const char *path_in(const char *dir, const char *name) {
  static char path[2048];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return path;
}

static void png(const char *dir, const char *name, int width, int height, int channels) {
  char error[256];
  uint8_t *p = card(width, height, channels);
  if (gr_encode_png(path_in(dir, name), p, width, height, channels, error, sizeof error)) fail(error);
  free(p);
}

static void png_kind(const char *dir, const char *name, int width, int height, int kind) {
  char error[256];
  uint8_t *p = card(width, height, 3);
  if (gr_encode_png_kind(path_in(dir, name), p, width, height, kind, error, sizeof error)) fail(error);
  free(p);
}

static void jpeg(const char *dir, const char *name, int width, int height, int channels, int progressive, int cmyk) {
  char error[256];
  uint8_t *p = card(width, height, channels);
  if (gr_encode_jpeg(path_in(dir, name), p, width, height, channels, 85, progressive, cmyk, error, sizeof error))
    fail(error);
  free(p);
}

static uint8_t *slurp(const char *path, size_t *length) {
  FILE *f = fopen(path, "rb");
  if (!f) fail(path);
  fseek(f, 0, SEEK_END);
  *length = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *data = malloc(*length + 1);
  if (!data || fread(data, 1, *length, f) != *length) fail(path);
  fclose(f);
  return data;
}

static void spill(const char *path, const uint8_t *data, size_t length) {
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(data, 1, length, f) != length) fail(path);
  fclose(f);
}

/* `from` cut to `keep` bytes, as `name`. */
static void truncated(const char *dir, const char *from, const char *name, size_t keep) {
  size_t length;
  uint8_t *data = slurp(path_in(dir, from), &length);
  spill(path_in(dir, name), data, keep < length ? keep : length);
  free(data);
}

static void put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* `from` with its IHDR claiming width×height, CRC fixed. */
static void png_claiming(const char *dir, const char *from, const char *name, uint32_t width, uint32_t height) {
  size_t length;
  uint8_t *data = slurp(path_in(dir, from), &length);
  if (length < 33 || memcmp(data + 12, "IHDR", 4) != 0) fail("no IHDR");
  put32(data + 16, width);
  put32(data + 20, height);
  put32(data + 29, (uint32_t)crc32(0, data + 12, 17));
  spill(path_in(dir, name), data, length);
  free(data);
}

/* `from` with its SOF marker claiming width×height. */
static void jpeg_claiming(const char *dir, const char *from, const char *name, unsigned width, unsigned height) {
  size_t length;
  uint8_t *data = slurp(path_in(dir, from), &length);
  size_t i = 2;
  while (i + 9 < length && !(data[i] == 0xFF && (data[i + 1] == 0xC0 || data[i + 1] == 0xC2))) i++;
  if (i + 9 >= length) fail("no SOF");
  data[i + 5] = (uint8_t)(height >> 8); data[i + 6] = (uint8_t)height;
  data[i + 7] = (uint8_t)(width >> 8); data[i + 8] = (uint8_t)width;
  spill(path_in(dir, name), data, length);
  free(data);
}

static void expect(const char *name, const char *text) {
  char path[2048];
  snprintf(path, sizeof path, "%s/%s.expected", hostile, name);
  FILE *f = fopen(path, "w");
  if (!f) fail(path);
  fputs(text, f);
  fclose(f);
}

int main(int argc, char **argv) {
  if (argc != 3) fail("usage: make_inputs SEEDS_DIR HOSTILE_DIR");
  snprintf(seeds, sizeof seeds, "%s", argv[1]);
  snprintf(hostile, sizeof hostile, "%s", argv[2]);

  /* Seeds: every kind each decoder handles, small. */
  png(seeds, "gray-8x8.png", 8, 8, 1);
  png(seeds, "rgb-13x7.png", 13, 7, 3);
  png(seeds, "rgb-1x1.png", 1, 1, 3);
  png(seeds, "gray-300x2.png", 300, 2, 1);
  png_kind(seeds, "gray-alpha-9x9.png", 9, 9, GR_PNG_GRAY_ALPHA);
  png_kind(seeds, "rgba-9x9.png", 9, 9, GR_PNG_RGBA);
  png_kind(seeds, "palette-9x9.png", 9, 9, GR_PNG_PALETTE);
  png_kind(seeds, "gray16-9x9.png", 9, 9, GR_PNG_GRAY16);
  png_kind(seeds, "rgb16-9x9.png", 9, 9, GR_PNG_RGB16);
  jpeg(seeds, "gray-8x8.jpg", 8, 8, 1, 0, 0);
  jpeg(seeds, "rgb-16x16.jpg", 16, 16, 3, 0, 0);
  jpeg(seeds, "rgb-progressive-24x17.jpg", 24, 17, 3, 1, 0);
  jpeg(seeds, "cmyk-16x16.jpg", 16, 16, 3, 0, 1);
  jpeg(seeds, "rgb-1x1.jpg", 1, 1, 3, 0, 0);
  jpeg(seeds, "rgb-200x3.jpg", 200, 3, 3, 0, 0);
  truncated(seeds, "rgb-13x7.png", "truncated-rgb-13x7.png", 60);
  truncated(seeds, "rgb-progressive-24x17.jpg", "truncated-progressive.jpg", 300);
  png_claiming(seeds, "rgb-13x7.png", "claims-100000x100000.png", 100000, 100000);
  png_claiming(seeds, "rgb-13x7.png", "claims-4000x1.png", 4000, 1);
  jpeg_claiming(seeds, "rgb-16x16.jpg", "claims-65000x65000.jpg", 65000, 65000);
  jpeg_claiming(seeds, "rgb-16x16.jpg", "claims-3000x2.jpg", 3000, 2);

  /* Hostile images, each with the outcome the loader must give (first line: the size to
     load at; second: "ok", or "error " and the message). */
  png(hostile, "wide-2100x64.png", 2100, 64, 3);
  expect("wide-2100x64.png", "size 32\nok\n");
  png(hostile, "square-1500x1500.png", 1500, 1500, 1);
  expect("square-1500x1500.png", "size 16\nok\n");
  png_kind(hostile, "icon-1024x1024-rgba.png", 1024, 1024, GR_PNG_RGBA);
  expect("icon-1024x1024-rgba.png", "size 16\nok\n");
  png_kind(hostile, "icon-48x48-palette.png", 48, 48, GR_PNG_PALETTE);
  expect("icon-48x48-palette.png", "size 16\nok\n");
  png_kind(hostile, "icon-16x16-gray-alpha.png", 16, 16, GR_PNG_GRAY_ALPHA);
  expect("icon-16x16-gray-alpha.png", "size 16\nok\n");
  png(hostile, "tall-1x3000.png", 1, 3000, 1);
  expect("tall-1x3000.png", "size 16\nok\n");
  png(hostile, "wide-5000x1.png", 5000, 1, 3);
  expect("wide-5000x1.png", "size 8\nok\n");
  png(hostile, "pixel-1x1.png", 1, 1, 3);
  expect("pixel-1x1.png", "size 16\nok\n");
  jpeg(hostile, "pixel-1x1.jpg", 1, 1, 3, 0, 0);
  expect("pixel-1x1.jpg", "size 16\nok\n");
  jpeg(hostile, "wide-3000x40.jpg", 3000, 40, 3, 0, 0);
  expect("wide-3000x40.jpg", "size 16\nok\n");
  jpeg(hostile, "tall-progressive-24x2000.jpg", 24, 2000, 1, 1, 0);
  expect("tall-progressive-24x2000.jpg", "size 8\nok\n");
  png(hostile, "base.tmp.png", 13, 7, 3);
  png_claiming(hostile, "base.tmp.png", "claims-100000x100000.png", 100000, 100000);
  expect("claims-100000x100000.png",
         "size 32\nerror the PNG header claims 100000x100000 pixels, more than the 134217728 (128 megapixels) ganrepl reads\n");
  truncated(hostile, "base.tmp.png", "truncated.png", 60);
  expect("truncated.png", "size 32\nerror the PNG data ends early (truncated file)\n");
  remove(path_in(hostile, "base.tmp.png"));
  jpeg(hostile, "base.tmp.jpg", 16, 16, 3, 0, 0);
  jpeg_claiming(hostile, "base.tmp.jpg", "claims-65000x65000.jpg", 65000, 65000);
  expect("claims-65000x65000.jpg",
         "size 32\nerror the JPEG header claims 65000x65000 pixels, more than the 134217728 (128 megapixels) ganrepl reads\n");
  truncated(hostile, "base.tmp.jpg", "truncated.jpg", 400);
  expect("truncated.jpg", "size 32\nerror the JPEG data ends early (truncated file)\n");
  remove(path_in(hostile, "base.tmp.jpg"));
  spill(path_in(hostile, "empty.png"), (const uint8_t *)"", 0);
  expect("empty.png", "size 16\nerror not a JPEG or PNG file\n");
  return 0;
}
