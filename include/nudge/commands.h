/* commands.h - the language's own commands: help, vars, clear, format,
 * run, save, load, plot, graph, backprop, pause, say, quit and exit.  Upper
 * layers add theirs (lesson, watch, ...) with interp_add_commands. */
#ifndef NUDGE_COMMANDS_H
#define NUDGE_COMMANDS_H

#include <stddef.h>

#include "nudge/interp.h"

/* The table of core commands and its length (static storage). */
const Command *commands_core(size_t *n);

/* Reads a file-name argument: a quoted string or one bare word.  Returns
 * a string owned by the caller, or NULL with *e set ("save: ..." from who). */
char *commands_path_arg(const char *arg, const char *who, Error *e);

#endif
