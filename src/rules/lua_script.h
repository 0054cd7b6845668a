/* rules/lua_script.h - Lua scripts written as Python string literals and
 * sent with eval/register_script/script_load: their text, with every byte
 * mapped back to the Python source, and the redis.call sites in it. */
#ifndef RL_LUA_SCRIPT_H
#define RL_LUA_SCRIPT_H
#include "../lua.h"
#include "rule_util.h"

typedef struct ScriptText {
  TSNode node;     /* the script argument of the call */
  const char *text;
  size_t len;
  const uint32_t *map; /* map[i]: Python source byte of text[i] */
  LuaCall *calls;  /* redis.call / redis.pcall sites */
  size_t ncalls;
} ScriptText;

/* Methods whose first argument (or `script=`) is Lua source. */
extern const char *const LUA_SCRIPT_METHODS[];

/* The script a call passes (eval, eval_ro, register_script, script_load),
 * when it is written in this file as string literals: directly, through
 * names bound to one (module constants), implicit and `+` concatenation,
 * textwrap.dedent()/.strip()/.encode(). f-string holes become LUA_HOLE.
 * False when the script is built some other way. */
bool script_of_call(RuleCtx *ctx, const CallSite *cs, ScriptText *out);

/* Python source span of script bytes [a, b). */
void script_span(const ScriptText *st, uint32_t a, uint32_t b, uint32_t *start, uint32_t *end);
#endif
