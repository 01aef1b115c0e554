/* files.h - small file-system helpers shared by the layers above core. */
#ifndef NUDGE_FILES_H
#define NUDGE_FILES_H

/* Creates every missing directory on the way to the file at path (mode
 * 0700, as for per-user state); failures are left for the later open or
 * rename to report. */
void files_make_parents(const char *path);

#endif
