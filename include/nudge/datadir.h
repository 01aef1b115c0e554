/* datadir.h - where nudge's shipped files are: the lessons, the demo
 * scripts and the data sets.
 *
 * An installed nudge keeps them under DATADIR/nudge (lessons/, demos/,
 * data/), where DATADIR is the build's CMAKE_INSTALL_FULL_DATADIR, e.g.
 * /usr/share.  In a source checkout they are lessons/, assets/demos/ and
 * assets/data/; only a program that runs from its own build tree looks
 * there, so an installed copy never reads the source tree it came from.
 */
#ifndef NUDGE_DATADIR_H
#define NUDGE_DATADIR_H

typedef enum DataDir { DATADIR_LESSONS, DATADIR_DEMOS, DATADIR_SETS } DataDir;

/* The directory of kind's files, the first that exists of:
 *   1. $NUDGE_DATA_DIR/lessons (demos, data), when NUDGE_DATA_DIR is set;
 *   2. share/nudge/lessons beside the running program (PREFIX/bin/nudge
 *      and PREFIX/share/nudge, found through /proc/self/exe), so that an
 *      installed tree copied or staged elsewhere finds its own files;
 *   3. the source tree, only when the running program lies inside the
 *      build tree it was built in;
 *   4. DATADIR/nudge/lessons as configured at build time (this one needs
 *      no /proc).
 * Returns a path owned by the caller (free with mem_free), or NULL when
 * none exists or memory ran out. */
char *datadir_find(DataDir kind);

/* The directory an installed nudge keeps kind's files in, as configured
 * at build time ("/usr/share/nudge/lessons"); a static string. */
const char *datadir_installed(DataDir kind);

#endif
