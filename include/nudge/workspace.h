/* workspace.h - a copy of a session's variables, for the lessons' reset and
 * undo.
 *
 * A Workspace holds every variable of an Interp with its version at the
 * time it was taken: a deep copy of its value, and for an array, list,
 * dict, record or model a reference to the object the name referred to.
 * workspace_restore puts the variables back as they were: each name refers
 * to its object again, with the copy's contents put back in place (so
 * names that shared an object share it again), and every variable not in
 * the snapshot is cleared.  Every copy of a value the lesson layer keeps is
 * made by workspace_copy_value.
 */
#ifndef NUDGE_WORKSPACE_H
#define NUDGE_WORKSPACE_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/interp.h"
#include "nudge/value.h"

typedef struct WorkspaceVar {
    char *name;                 /* owned */
    Value value;                /* owned deep copy */
    Value object;               /* a reference to the object the name referred to (mutable kinds), or None */
    unsigned long version;      /* interp_version when taken */
} WorkspaceVar;

typedef struct Workspace {
    WorkspaceVar *vars;          /* owned */
    size_t n;
} Workspace;

/* Copies every variable of in into *s (which need not be initialised).
 * On failure *s is empty and *e set. */
bool workspace_take(Workspace *s, const Interp *in, Error *e);

/* Makes in's variables those of s again: each one of s is set to a copy
 * of its value and every variable not in s is cleared.  The restored
 * variables get new versions. */
bool workspace_restore(const Workspace *s, Interp *in, Error *e);

/* The entry for name, or NULL (borrowed). */
WorkspaceVar *workspace_find(const Workspace *s, const char *name);

/* True when a variable of in differs from s: one was added, removed,
 * assigned (a new version) or changed in place. */
bool workspace_differs(const Workspace *s, const Interp *in);

/* True when name was assigned or changed since s was taken, or did not
 * exist then; false when it does not exist now. */
bool workspace_name_changed(const Workspace *s, const Interp *in, const char *name);

/* After a restore, takes the current versions of the variables whose
 * values equal the snapshot's, so that they count as unchanged. */
void workspace_rebase(Workspace *s, const Interp *in);

void workspace_free(Workspace *s);

/* The copy every snapshot makes of a value (a deep copy today). */
bool workspace_copy_value(Value *dst, const Value *src, Error *e);

/* True when a and b hold the same data (numbers bit for bit). */
bool workspace_same_value(const Value *a, const Value *b);

#endif
