/* The hostile images of Tests/Hostile/images, written at test time with the encoders of
   Sources/CImageCodecs (nothing binary is committed): images far larger than the size they
   are loaded at, extreme ratios, 1×1, headers that lie about their size, truncated and empty
   files. Beside each name, Tests/Hostile/images/NAME.expected says what the loader must do
   with it. scripts/fuzz-codecs seeds its fuzzers with these and with make_inputs' seeds.
   Deterministic. Lying headers patch a valid file (the PNG's IHDR CRC is recomputed, so
   only the size lies). */
#include "HostileImages.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static jmp_buf failed;
static char failure[512];

/* A test fixture's failure: back to gr_write_hostile_images with the reason. */
static void fail(const char *what) {
  snprintf(failure, sizeof failure, "%s", what);
  longjmp(failed, 1);
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

const char *gr_path_in(const char *dir, const char *name) {
  static char path[2048];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return path;
}

void gr_png(const char *dir, const char *name, int width, int height, int channels) {
  char error[256];
  uint8_t *p = card(width, height, channels);
  if (gr_encode_png(gr_path_in(dir, name), p, width, height, channels, error, sizeof error)) fail(error);
  free(p);
}

void gr_png_kind(const char *dir, const char *name, int width, int height, int kind) {
  char error[256];
  uint8_t *p = card(width, height, 3);
  if (gr_encode_png_kind(gr_path_in(dir, name), p, width, height, kind, error, sizeof error)) fail(error);
  free(p);
}

void gr_jpeg(const char *dir, const char *name, int width, int height, int channels, int progressive, int cmyk) {
  char error[256];
  uint8_t *p = card(width, height, channels);
  if (gr_encode_jpeg(gr_path_in(dir, name), p, width, height, channels, 85, progressive, cmyk, error, sizeof error))
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
void gr_truncated(const char *dir, const char *from, const char *name, size_t keep) {
  size_t length;
  uint8_t *data = slurp(gr_path_in(dir, from), &length);
  spill(gr_path_in(dir, name), data, keep < length ? keep : length);
  free(data);
}

static void put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* `from` with its IHDR claiming width×height, CRC fixed. */
void gr_png_claiming(const char *dir, const char *from, const char *name, uint32_t width, uint32_t height) {
  size_t length;
  uint8_t *data = slurp(gr_path_in(dir, from), &length);
  if (length < 33 || memcmp(data + 12, "IHDR", 4) != 0) fail("no IHDR");
  put32(data + 16, width);
  put32(data + 20, height);
  put32(data + 29, (uint32_t)crc32(0, data + 12, 17));
  spill(gr_path_in(dir, name), data, length);
  free(data);
}

/* `from` with its SOF marker claiming width×height. */
void gr_jpeg_claiming(const char *dir, const char *from, const char *name, unsigned width, unsigned height) {
  size_t length;
  uint8_t *data = slurp(gr_path_in(dir, from), &length);
  size_t i = 2;
  while (i + 9 < length && !(data[i] == 0xFF && (data[i + 1] == 0xC0 || data[i + 1] == 0xC2))) i++;
  if (i + 9 >= length) fail("no SOF");
  data[i + 5] = (uint8_t)(height >> 8); data[i + 6] = (uint8_t)height;
  data[i + 7] = (uint8_t)(width >> 8); data[i + 8] = (uint8_t)width;
  spill(gr_path_in(dir, name), data, length);
  free(data);
}

const char *gr_write_hostile_images(const char *dir) {
  if (setjmp(failed)) return failure;
  gr_png(dir, "wide-2100x64.png", 2100, 64, 3);
  gr_png(dir, "square-1500x1500.png", 1500, 1500, 1);
  gr_png_kind(dir, "icon-1024x1024-rgba.png", 1024, 1024, GR_PNG_RGBA);
  gr_png_kind(dir, "icon-48x48-palette.png", 48, 48, GR_PNG_PALETTE);
  gr_png_kind(dir, "icon-16x16-gray-alpha.png", 16, 16, GR_PNG_GRAY_ALPHA);
  gr_png(dir, "tall-1x3000.png", 1, 3000, 1);
  gr_png(dir, "wide-5000x1.png", 5000, 1, 3);
  gr_png(dir, "pixel-1x1.png", 1, 1, 3);
  gr_jpeg(dir, "pixel-1x1.jpg", 1, 1, 3, 0, 0);
  gr_jpeg(dir, "wide-3000x40.jpg", 3000, 40, 3, 0, 0);
  gr_jpeg(dir, "tall-progressive-24x2000.jpg", 24, 2000, 1, 1, 0);
  gr_png(dir, "base.tmp.png", 13, 7, 3);
  gr_png_claiming(dir, "base.tmp.png", "claims-100000x100000.png", 100000, 100000);
  gr_truncated(dir, "base.tmp.png", "truncated.png", 60);
  remove(gr_path_in(dir, "base.tmp.png"));
  gr_jpeg(dir, "base.tmp.jpg", 16, 16, 3, 0, 0);
  gr_jpeg_claiming(dir, "base.tmp.jpg", "claims-65000x65000.jpg", 65000, 65000);
  gr_truncated(dir, "base.tmp.jpg", "truncated.jpg", 400);
  remove(gr_path_in(dir, "base.tmp.jpg"));
  spill(gr_path_in(dir, "empty.png"), (const uint8_t *)"", 0);
  return NULL;
}

/* The fixture helpers, shared with make_inputs, report through the same jump. */
const char *gr_fixture_call(void (*body)(void *), void *context) {
  if (setjmp(failed)) return failure;
  body(context);
  return NULL;
}
