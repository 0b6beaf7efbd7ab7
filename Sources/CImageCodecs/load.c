#include "ImageCodecs.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The file's bytes, read into a buffer kept per thread (a dataset load reads hundreds of
   thousands of files on a few threads). */
static __thread uint8_t *file_buffer = NULL;
static __thread size_t file_capacity = 0;

int gr_load_file(const char *path, int size, int channels, int crop, uint8_t *out, char *error,
                 size_t error_size) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    snprintf(error, error_size, "cannot open the file");
    return 1;
  }
  struct stat info;
  if (fstat(fd, &info) != 0) {
    close(fd);
    snprintf(error, error_size, "cannot read the file");
    return 1;
  }
  size_t length = (size_t)info.st_size;
  if (file_capacity < length) {
    free(file_buffer);
    file_buffer = malloc(length);
    file_capacity = file_buffer ? length : 0;
    if (!file_buffer) {
      close(fd);
      snprintf(error, error_size, "out of memory for a %zu-byte file", length);
      return 1;
    }
  }
  size_t got = 0;
  while (got < length) {
    ssize_t n = read(fd, file_buffer + got, length - got);
    if (n <= 0) break;
    got += (size_t)n;
  }
  close(fd);
  if (got != length) {
    snprintf(error, error_size, "cannot read the file");
    return 1;
  }
  gr_image image;
  int status;
  if (length >= 2 && file_buffer[0] == 0xFF && file_buffer[1] == 0xD8) {
    status = gr_decode_jpeg(file_buffer, length, size, &image, error, error_size);
  } else if (length >= 4 && memcmp(file_buffer, "\x89PNG", 4) == 0) {
    status = gr_decode_png(file_buffer, length, &image, error, error_size);
  } else {
    snprintf(error, error_size, "not a JPEG or PNG file");
    return 1;
  }
  if (status != 0) return status;
  status = gr_resize(image.pixels, image.width, image.height, image.channels, size, channels, crop, out);
  if (status != 0) snprintf(error, error_size, "out of memory resizing a %dx%d image", image.width, image.height);
  gr_image_free(&image);
  return status;
}
