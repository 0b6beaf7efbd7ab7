#include "ImageCodecs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The file's bytes, read into a buffer kept per thread (a dataset load reads hundreds of
   thousands of files on a few threads); a file over FILE_BUFFER_KEPT gets a buffer for its
   own call only. */
static __thread uint8_t *file_buffer = NULL;
static __thread size_t file_capacity = 0;
#define FILE_BUFFER_KEPT ((size_t)16 << 20)

/* Reads the whole regular file `path` into *data (length *length), or returns nonzero with
   a message. Not following the FIFO or device a folder may hold (O_NONBLOCK: opening a FIFO
   must not wait for a writer), and refusing a file whose size changes while it is read. */
static int read_file(const char *path, uint8_t **data, size_t *length, int *owned, char *error,
                     size_t error_size) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
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
  if (!S_ISREG(info.st_mode)) {
    close(fd);
    snprintf(error, error_size, "not a regular file");
    return 1;
  }
  if (info.st_size < 0 || (uint64_t)info.st_size > GR_MAX_FILE_BYTES) {
    close(fd);
    snprintf(error, error_size, "the file has %lld bytes, more than the %llu (1 GiB) ganrepl reads",
             (long long)info.st_size, (unsigned long long)GR_MAX_FILE_BYTES);
    return 1;
  }
  size_t size = (size_t)info.st_size;
  uint8_t *buffer;
  *owned = size > FILE_BUFFER_KEPT;
  if (*owned) {
    buffer = malloc(size + 1);
  } else {
    if (file_capacity < size + 1) {
      free(file_buffer);
      file_buffer = malloc(size + 1);
      file_capacity = file_buffer ? size + 1 : 0;
    }
    buffer = file_buffer;
  }
  if (!buffer) {
    close(fd);
    snprintf(error, error_size, "out of memory for a %zu-byte file", size);
    return 1;
  }
  /* One byte more than stat said: reading it means the file grew. */
  size_t got = 0;
  int read_error = 0;
  while (got < size + 1) {
    ssize_t n = read(fd, buffer + got, size + 1 - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) read_error = 1;
    if (n <= 0) break;
    got += (size_t)n;
  }
  close(fd);
  if (read_error || got != size) {
    if (*owned) free(buffer);
    if (read_error)
      snprintf(error, error_size, "cannot read the file");
    else if (got > size)
      snprintf(error, error_size, "the file grew while it was read (past %zu bytes)", size);
    else
      snprintf(error, error_size, "the file shrank while it was read (%zu bytes, then %zu)", size, got);
    return 1;
  }
  *data = buffer;
  *length = size;
  return 0;
}

int gr_load_file(const char *path, int size, int channels, int crop, uint8_t *out, char *error,
                 size_t error_size) {
  uint8_t *file_data = NULL;
  size_t length = 0;
  int owned = 0;
  if (read_file(path, &file_data, &length, &owned, error, error_size) != 0) return 1;
  int status = gr_load_memory(file_data, length, size, channels, crop, out, error, error_size);
  if (owned) free(file_data);
  return status;
}

int gr_load_memory(const uint8_t *file_buffer, size_t length, int size, int channels, int crop,
                   uint8_t *out, char *error, size_t error_size) {
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
