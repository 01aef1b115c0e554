/* ast.h - the syntax tree of nudge programs, and the parser that makes it.
 *
 * The grammar is Python's statements (CPython's Grammar/python.gram, the
 * parts nudge has) over expressions that add nudge's own: `[1, 2; 3, 4]`
 * matrices, `@(x) expr` functions, and commands, words at the start of a
 * line that take the rest of it as raw text (`format long`, `save w.nd`).
 *
 * A chunk of source (one REPL entry, a pasted program, or one top-level
 * statement of a script) parses into a Program.  Parsing is all or nothing:
 * on the first syntax error nothing is returned, so a chunk with a typo runs
 * nothing.  After parsing, the resolver (in the interpreter) fills each
 * name's scope, so evaluation never searches for a local by its spelling.
 *
 * Nodes own their children and their text.  A Program is reference counted
 * because the functions a chunk defines outlive the chunk: each keeps its
 * Program alive.
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
    /* expressions */
    NODE_NUMBER,    /* number; integer and is_int for integer literals */
    NODE_STRING,    /* text, len bytes (may hold NULs) */
    NODE_FSTRING,   /* kids: NODE_STRING pieces and NODE_FORMAT fields */
    NODE_FORMAT,    /* {kids[0]!op:kids[1]}: op is 'r', 's', 'a' or 0; kids[1] a NODE_FSTRING or NULL */
    NODE_CONST,     /* None, True, False: op is CONST_NONE/TRUE/FALSE */
    NODE_ELLIPSIS,  /* ... */
    NODE_NAME,      /* text */
    NODE_LIST,      /* [a, b, c] */
    NODE_TUPLE,     /* (a, b) or a, b */
    NODE_DICT,      /* {k0: v0, k1: v1}: kids alternate keys and values */
    NODE_ROWS,      /* [a, b; c, d]: kids are NODE_LIST rows */
    NODE_UNARY,     /* op kids[0]: '-', '+', '~' */
    NODE_NOT,       /* not kids[0] */
    NODE_BINARY,    /* kids[0] op kids[1] */
    NODE_COMPARE,   /* kids[0] ops[0] kids[1] ops[1] kids[2] ... */
    NODE_AND,       /* kids[0] and kids[1] and ... */
    NODE_OR,
    NODE_IFEXP,     /* kids[1] if kids[0] else kids[2] */
    NODE_CALL,      /* kids[0](kids[1..]) */
    NODE_KWARG,     /* text = kids[0], only as a call argument */
    NODE_STARRED,   /* *kids[0]: in a call, or a target */
    NODE_INDEX,     /* kids[0][kids[1]]: several indices make a NODE_TUPLE */
    NODE_SLICE,     /* kids[0]:kids[1]:kids[2], each may be NULL, only as an index */
    NODE_FIELD,     /* kids[0].text */
    NODE_LAMBDA,    /* lambda params: body, or @(params) body: kids are NODE_PARAMs then the body; scope */
    NODE_LISTCOMP,  /* [kids[0] for ... if ...]: kids[1..] are NODE_COMPFOR / NODE_COMPIF; scope */
    NODE_GENEXP,    /* (kids[0] for ...): evaluated as a list */
    NODE_DICTCOMP,  /* {kids[0]: kids[1] for ...} */
    NODE_COMPFOR,   /* for kids[0] in kids[1] */
    NODE_COMPIF,    /* if kids[0] */
    /* statements */
    NODE_BLOCK,     /* kids: statements */
    NODE_EXPR_STMT, /* kids[0] */
    NODE_ASSIGN,    /* kids[0] = kids[1] = ... = kids[n-1] (the value) */
    NODE_AUGASSIGN, /* kids[0] op= kids[1] */
    NODE_IF,        /* if kids[0]: kids[1] else kids[2] (a NODE_BLOCK, a NODE_IF for elif, or NULL) */
    NODE_FOR,       /* for kids[0] in kids[1]: kids[2] else kids[3] (or NULL) */
    NODE_WHILE,     /* while kids[0]: kids[1] else kids[2] (or NULL) */
    NODE_DEF,       /* def text(kids[0..n-2] NODE_PARAMs): kids[n-1]; scope */
    NODE_PARAM,     /* text = kids[0] (the default, or NULL); op TOKEN_STAR for *args */
    NODE_RETURN,    /* return kids[0] (or NULL) */
    NODE_BREAK,
    NODE_CONTINUE,
    NODE_PASS,
    NODE_GLOBAL,    /* global kids (NODE_NAMEs) */
    NODE_NONLOCAL,
    NODE_ASSERT,    /* assert kids[0], kids[1] (or NULL) */
    NODE_IMPORT,    /* import kids (NODE_ALIAS) */
    NODE_FROM,      /* from text import kids (NODE_ALIAS; one with text "*" for *) */
    NODE_ALIAS,     /* text as text2 (text2 NULL without 'as') */
    NODE_DEL,       /* del kids */
    NODE_RAISE,     /* raise kids[0] (or NULL) */
    NODE_COMMAND,   /* text (the command word) and text2 (its argument, raw); number: the argument's column */
    NODE_WATCH      /* watch kids[0] (a NODE_FOR or NODE_WHILE); text2 the options after 'watch' */
} NodeKind;

enum { CONST_NONE, CONST_TRUE, CONST_FALSE };

/* Comparison operators beyond the tokens: `in`, `not in`, `is`, `is not`. */
enum { CMP_IN = TOKEN_ERROR + 1, CMP_NOT_IN, CMP_IS, CMP_IS_NOT };

/* Where a name lives, filled by the resolver. */
typedef enum NameScope {
    SCOPE_GLOBAL,   /* the session's variables (or a built-in) */
    SCOPE_LOCAL,    /* slot in the running function's frame */
    SCOPE_FREE      /* slot in an enclosing function's frame, `up` frames out */
} NameScope;

/* What the resolver learns about a function, lambda or comprehension. */
typedef struct Scope {
    size_t nparams;         /* its first slots are its parameters */
    size_t nslots;          /* parameters and locals */
    char **names;           /* each slot's name (owned) */
    bool star;              /* the last parameter collects the rest (*args) */
    bool uses_grad;         /* its body calls grad, graph or backprop (histories are kept) */
    bool has_closure;       /* a nested function reads its locals (its frame must outlive the call) */
} Scope;

typedef struct Node {
    NodeKind kind;
    int line, col;
    int op;                 /* TokenType, CONST_*, or for NODE_COMPARE unused (see ops) */
    double number;
    long long integer;
    bool is_int;            /* NODE_NUMBER: an integer literal */
    bool quiet;             /* a statement that ended with ';' */
    bool uses_grad;         /* a loop whose body calls grad, graph or backprop */
    char *text;
    size_t len;             /* NODE_STRING: bytes of text */
    char *text2;
    int *ops;               /* NODE_COMPARE: nkids - 1 operators (owned) */
    struct Node **kids;
    size_t nkids;
    size_t kcap;            /* room in kids (it grows by doubling: a 100000-element list is linear) */
    int depth;              /* height of the tree below (evaluation recurses this deep) */
    size_t src_offset, src_len;   /* a statement's text in the chunk, for echo */
    /* Filled by the resolver. */
    NameScope scope;
    int slot;               /* SCOPE_LOCAL / SCOPE_FREE */
    int up;                 /* SCOPE_FREE: frames out */
    Scope *fscope;          /* NODE_DEF, NODE_LAMBDA, NODE_LISTCOMP, ...: owned */
    /* Caches the interpreter keeps: for NODE_NAME at global scope the
     * variable or built-in (valid while cache_gen matches); for NODE_FIELD
     * the built-in found on the object cache_key (a module) or for the
     * kind of value cache_gen - 1 (a method). */
    void *cache;
    unsigned long cache_gen;
    const void *cache_key;
} Node;

typedef struct Program {
    int refs;
    Node *body;             /* a NODE_BLOCK */
    char *src;              /* a copy of the source, for messages about functions it defines */
    char *origin;           /* the file (or "<stdin>", "-c") it came from, or NULL */
    int first_line;         /* its first line's number in origin */
    bool python;            /* run by Python's rules (no echo, [...] makes a list) */
} Program;

/* Says whether a word at the start of a statement is a command: 0 no,
 * 1 yes, 2 yes but it is also the name of a variable (then only a word,
 * number, string or the end may follow it for it to count as a command, so
 * that `run * 2` still computes with a variable called run). */
typedef int (*CommandTest)(void *ctx, const char *word, size_t len);

/* Parses src into a new Program with one reference (release with
 * ast_program_release), or NULL with *e set.  is_command (may be NULL)
 * picks out command words. */
Program *ast_parse(const char *src, CommandTest is_command, void *ctx, Error *e);

/* Parses src as one expression (for `watch` options and the lesson
 * checks); the tree is owned by the caller (ast_free).  Names in it are
 * global. */
Node *ast_parse_expr(const char *src, Error *e);

Program *ast_program_retain(Program *p);
void ast_program_release(Program *p);

void ast_free(Node *n);
/* Whether n mentions grad, graph or backprop: a loop or function that does
 * keeps the histories of what it computes. */
bool ast_uses_grad(const Node *n);

/* Whether a chunk typed at a prompt is whole (see lexer_is_complete). */
bool ast_is_complete(const char *src);

/* Whether src holds an `import numpy`, `from numpy import` or `import math`
 * statement at its top level: such a chunk is a Python program, run by
 * Python's rules. */
bool ast_imports_python(const char *src);

#endif
