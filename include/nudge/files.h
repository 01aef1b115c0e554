/* files.h - small file-system helpers shared by the layers above core. */
#ifndef NUDGE_FILES_H
#define NUDGE_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "nudge/error.h"

/* The path of nudge's per-user state file `name` ("progress", "history")
 * for an environment: $XDG_STATE_HOME/nudge/NAME, else
 * $HOME/.local/state/nudge/NAME (an empty variable counts as unset).  The
 * caller passes the variables (tests pass their own) and owns the string;
 * NULL when neither is set or memory runs out. */
char *files_state_path(const char *name, const char *xdg_state_home, const char *home);

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

/* The same written in pieces, for a file made as it goes (a recording):
 * begin checks path and opens the temporary file (false with *e when path
 * is a FIFO, a device or a folder, or the temporary file cannot be made),
 * write appends (keeping the first error for end), end flushes, renames
 * and frees (false with *e, the old file as it was), abort gives up and
 * removes the temporary file.  Every begin that succeeded is followed by
 * end or abort. */
typedef struct FilesAtomic {
    int fd;             /* the temporary file, or -1 */
    int err;            /* the errno of the first write that failed, or 0 */
    const char *who;    /* borrowed: for messages */
    char *path;         /* owned: as given, for messages */
    char *target;       /* owned: the file replaced (links followed) */
    char *tmp;          /* owned: the temporary file's name */
} FilesAtomic;
bool files_atomic_begin(FilesAtomic *fa, const char *path, const char *who, Error *e);
bool files_atomic_write(FilesAtomic *fa, const char *data, size_t len);
bool files_atomic_end(FilesAtomic *fa, Error *e);
void files_atomic_abort(FilesAtomic *fa);

/* Opens path for reading without ever blocking (a FIFO would wait for a
 * writer forever) and only when it is a regular file.  Returns the open
 * file (blocking again, for ordinary reads), or NULL with errno set:
 * ENOENT when there is no file, EINVAL when it is not a regular file. */
FILE *files_open_regular(const char *path);

/* An exclusive lock shared by every nudge process that updates path: an
 * flock(2) on the file PATH.lock beside it (made on first use and left
 * there, mode 0600), so that the lock outlives the renames that replace
 * path itself.  Waits up to about five seconds for another process to let
 * go.  Returns a descriptor to give to files_unlock, or -1 with *e set
 * (errors start with who). */
int files_lock(const char *path, const char *who, Error *e);
void files_unlock(int fd);

#endif
