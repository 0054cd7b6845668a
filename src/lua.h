/* lua.h - Lua source as Redis scripts are written: a tokenizer and a
 * recognizer of `redis.call(...)` / `redis.pcall(...)` sites that says where
 * each argument's value comes from (KEYS, ARGV, a literal, data the script
 * read from Redis).
 *
 * Why a tokenizer and not a tree-sitter Lua grammar: what the rules need is
 * lexical (where strings, long brackets and comments start and end, the
 * argument list of a call, `local k = KEYS[1]`), scripts are short, and they
 * are often Python templates (`%s`, `{}` holes) that a grammar would turn
 * into error nodes. A tokenizer keeps the build to one grammar download.
 *
 * The text is Lua 5.1 (what Redis embeds) plus what later versions added to
 * the lexer (`\z`, `\x` escapes, `//`, `::`). Byte LUA_HOLE (the same byte
 * as model.h's KEY_HOLE) stands for an unknown part (an f-string hole);
 * outside a Lua string it is an operand of unknown origin. Everything
 * returned lives in the arena. */
#ifndef RL_LUA_H
#define RL_LUA_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

#define LUA_HOLE '\x01'

typedef enum {
  LT_NAME = 1,  /* names and keywords */
  LT_STRING,    /* 'x', "x", [[x]], [==[x]==] */
  LT_NUMBER,
  LT_OP,        /* punctuation and operators: `..`, `==`, `(`... */
  LT_HOLE       /* an unknown part of the text (KEY_HOLE) */
} LuaTokKind;

typedef struct LuaTok {
  uint8_t kind;        /* LuaTokKind */
  uint32_t start, end; /* bytes in the script text */
} LuaTok;

/* Tokens of a script, comments and whitespace dropped. Never fails: a byte
 * that starts no token becomes a one-byte LT_OP; an unterminated string or
 * long bracket runs to the end of its line (quoted) or of the text (long). */
size_t lua_tokenize(Arena *a, const char *text, size_t len, LuaTok **out);

/* The value of a string token, escapes decoded (long brackets verbatim,
 * without the first newline). */
const char *lua_string_value(Arena *a, const char *text, const LuaTok *t, size_t *len);

/* Where a value comes from, as far as the script shows. */
typedef enum {
  LUA_SRC_UNKNOWN = 0,  /* function parameters, globals, anything not followed */
  LUA_SRC_KEYS,         /* KEYS[i], unpack(KEYS), a name bound to one of those */
  LUA_SRC_KEYS_DERIVED, /* built with `..` from a KEYS element */
  LUA_SRC_LITERAL,      /* a string or number literal, or literals joined */
  LUA_SRC_ARGV,         /* from ARGV, alone or joined to other parts */
  LUA_SRC_DATA          /* read from Redis inside the script (a redis.call reply) */
} LuaSrc;

typedef struct LuaArg {
  uint32_t start, end; /* bytes of the argument expression */
  uint8_t src;         /* LuaSrc */
} LuaArg;

#define LUA_MAX_ARGS 16

typedef struct LuaCall {
  uint32_t start, end;     /* `redis.call(...)`, through the closing parenthesis */
  bool pcall;
  const char *command;     /* lower case; NULL when not a string literal */
  uint32_t cmd_start, cmd_end;
  uint32_t nargs;          /* arguments after the command name, at most LUA_MAX_ARGS */
  LuaArg args[LUA_MAX_ARGS];
} LuaCall;

/* The redis.call / redis.pcall sites of a script, in text order. */
size_t lua_scan(Arena *a, const char *text, size_t len, LuaCall **out);

/* Which arguments of a call name keys (indexes into args, after the command
 * name). Returns their count; 0 for commands without keys or whose keys this
 * does not know how to find (XREAD ... STREAMS, a non-literal command). */
size_t lua_key_args(const LuaCall *c, uint32_t *idx, size_t cap);
#endif
