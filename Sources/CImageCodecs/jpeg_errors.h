/* libjpeg reports fatal errors through error_exit, which must not return: the one error
   manager of the JPEG reader (jpeg.c) and the tests' writer (Tests/HostileImages) longjmps
   back to `escape` with the message, and keeps warnings silent. Not part of the library's
   interface (it needs jpeglib.h). */
#ifndef GANREPL_JPEG_ERRORS_H
#define GANREPL_JPEG_ERRORS_H

#include <setjmp.h>
#include <stdio.h>
#include <jpeglib.h>

typedef struct {
  struct jpeg_error_mgr base;
  jmp_buf escape;
  char message[JMSG_LENGTH_MAX];
} jpeg_errors;

static void jpeg_errors_exit(j_common_ptr cinfo) {
  jpeg_errors *errors = (jpeg_errors *)cinfo->err;
  errors->base.format_message(cinfo, errors->message);
  longjmp(errors->escape, 1);
}

static void jpeg_errors_silent(j_common_ptr cinfo) { (void)cinfo; }

/* Sets up `errors` for a (de)compress struct's `err`; then setjmp(errors->escape). */
static inline struct jpeg_error_mgr *jpeg_errors_init(jpeg_errors *errors) {
  struct jpeg_error_mgr *base = jpeg_std_error(&errors->base);
  base->error_exit = jpeg_errors_exit;
  base->output_message = jpeg_errors_silent;
  return base;
}

#endif
