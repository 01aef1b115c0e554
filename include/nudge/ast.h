/* ast.h - the syntax tree of nudge statements, and the parser that makes it.
 *
 * A chunk of source (one REPL entry, or the lines of a script up to the
 * point where every bracket is closed) parses into a Program: statements
 * separated by ';' or newlines.  Parsing is all or nothing: on the first
 * syntax error nothing is returned, so a chunk with a typo runs nothing.
 *
 * Nodes own their children and their text; ast_free frees a whole tree.
 */
#ifndef NUDGE_AST_H
#define NUDGE_AST_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/error.h"
#include "nudge/lexer.h"

/* Deepest nesting of brackets and operators the parser accepts, and the
 * longest chain of operations in one expression (1+1+...+1). */
#define AST_MAX_DEPTH 200
#define AST_MAX_CHAIN 2000

typedef enum NodeKind {
    NODE_NUMBER,    /* number */
    NODE_STRING,    /* text */
    NODE_NAME,      /* text */
    NODE_LIST,      /* [a, b, c]: kids are the elements */
    NODE_ROWS,      /* [a, b; c, d]: kids are NODE_LIST rows */
    NODE_UNARY,     /* op kids[0] */
    NODE_BINARY,    /* kids[0] op kids[1] */
    NODE_CALL,      /* kids[0](kids[1..]) */
    NODE_KWARG,     /* text = kids[0], only as a call argument */
    NODE_INDEX,     /* kids[0][kids[1..]] */
    NODE_SLICE,     /* kids[0]:kids[1], either may be NULL, only as an index */
    NODE_FIELD,     /* kids[0].text */
    NODE_LAMBDA     /* @(kids[0..n-2]) kids[n-1]: parameters are NODE_NAMEs */
} NodeKind;

typedef struct Node {
    NodeKind kind;
    int line, col;
    TokenType op;
    double number;
    char *text;
    struct Node **kids;
    size_t nkids;
    size_t kcap;        /* room in kids (it grows by doubling: a 100000-element list is linear) */
    int depth;          /* height of the tree below (evaluation recurses this deep) */
} Node;

typedef enum StmtKind { STMT_EXPR, STMT_ASSIGN, STMT_COMMAND } StmtKind;

typedef struct Stmt {
    StmtKind kind;
    Node *target;       /* STMT_ASSIGN: a NAME, FIELD or INDEX node */
    Node *expr;         /* STMT_EXPR, STMT_ASSIGN */
    char *command;      /* STMT_COMMAND: the command word */
    char *arg;          /* STMT_COMMAND: the rest of the statement, trimmed */
    int arg_col;        /* column where arg starts */
    bool quiet;         /* ended with ';': print nothing */
    int line, col;      /* where the statement starts */
    size_t src_offset, src_len;   /* its text in the chunk, for echo */
} Stmt;

typedef struct Program {
    Stmt *stmts;
    size_t n;
    size_t cap;         /* room in stmts */
} Program;

/* Says whether a word at the start of a statement is a command: 0 no,
 * 1 yes, 2 yes but it is also the name of a variable (then only a word,
 * number, string or the end may follow it for it to count as a command, so
 * that `run * 2` still computes with a variable called run). */
typedef int (*CommandTest)(void *ctx, const char *word, size_t len);

/* Parses src into prog (owned by the caller: ast_program_free).  is_command
 * (may be NULL) picks out command words. */
bool ast_parse(const char *src, CommandTest is_command, void *ctx, Program *prog, Error *e);

/* Parses src as one expression (for `watch` and the lesson checks). */
Node *ast_parse_expr(const char *src, Error *e);

/* True when every bracket in src is closed and no string is open, so a REPL
 * knows whether to ask for a continuation line. */
bool ast_is_complete(const char *src);

/* A deep copy of a tree, or NULL when memory runs out. */
Node *ast_clone(const Node *n);

void ast_free(Node *n);
void ast_program_free(Program *prog);

#endif
