/* files.h - small file-system helpers shared by the layers above core. */
#ifndef NUDGE_FILES_H
#define NUDGE_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/error.h"

/* Creates every missing directory on the way to the file at path (mode
 * 0700, as for per-user state); failures are left for the later open or
 * rename to report. */
void files_make_parents(const char *path);

/* Writes len bytes of data to path atomically: into a temporary file beside
 * it, flushed to disk, then renamed over it, so that a failure at any point
 * leaves the old file as it was.  A symbolic link is written through, to
 * the file it names; anything but a regular file (a FIFO, a device) is
 * refused.  The file keeps the old one's mode, or gets the mode a new file
 * gets (0666 less the umask).  Errors start with who. */
bool files_write_atomic(const char *path, const char *data, size_t len, const char *who, Error *e);

#endif
