/* RL702 lua-hardcoded-keys: a Lua script (a Python string literal sent with
 * eval, eval_ro, register_script or script_load) whose redis.call /
 * redis.pcall touches a key that is not one of its KEYS: a literal key, a
 * key built from ARGV, from a KEYS element plus a suffix, or from data the
 * script read. Redis Cluster routes a script by the slot of its KEYS and
 * fails it when it touches a key of another slot; on any server the script
 * hides which keys it uses.
 *
 * Warning by default, error in cluster mode. Per file the rule cannot know
 * whether some other file builds a RedisCluster: findings on receivers not
 * known to be cluster clients carry the key PENDING and check_project makes
 * them errors when the run is in cluster mode. */
#include <ctype.h>
#include <string.h>

#include "../lint.h"
#include "lua_script.h"

#define PENDING "lua-cluster?"
#define SHOWN_MAX 48

/* Script text for a message: holes as {}, whitespace runs as one space, cut. */
static const char *lua_text(RuleCtx *ctx, const ScriptText *st, uint32_t a, uint32_t b) {
  char buf[SHOWN_MAX + 8];
  size_t n = 0;
  for (uint32_t i = a; i < b && n < SHOWN_MAX; i++) {
    char c = st->text[i];
    if (c == LUA_HOLE) {
      buf[n++] = '{';
      buf[n++] = '}';
    } else if (isspace((unsigned char)c)) {
      if (n && buf[n - 1] != ' ') buf[n++] = ' ';
    } else {
      buf[n++] = c;
    }
  }
  bool cut = n >= SHOWN_MAX;
  buf[n] = '\0';
  return arena_printf(ctx->arena, "%s%s", buf, cut ? "..." : "");
}

static const char *upper(RuleCtx *ctx, const char *s) {
  char *u = arena_strndup(ctx->arena, s, strlen(s));
  for (char *p = u; *p; p++) *p = (char)toupper((unsigned char)*p);
  return u;
}

static const char *origin_words(uint8_t src) {
  switch (src) {
  case LUA_SRC_LITERAL: return "is hardcoded, not passed in KEYS";
  case LUA_SRC_ARGV: return "is built from ARGV, not passed in KEYS";
  case LUA_SRC_DATA: return "comes from data the script read from Redis, not from KEYS";
  default: return "is built from a KEYS element but is not itself in KEYS";
  }
}

/* The same, in a word or two, for a list of keys. */
static const char *origin_short(uint8_t src) {
  switch (src) {
  case LUA_SRC_LITERAL: return "hardcoded";
  case LUA_SRC_ARGV: return "from ARGV";
  case LUA_SRC_DATA: return "from data read in the script";
  default: return "derived from a KEYS element";
  }
}

/* The first key argument of the call that does not come from KEYS. */
static const LuaArg *bad_key(const LuaCall *c) {
  uint32_t idx[LUA_MAX_ARGS];
  size_t n = lua_key_args(c, idx, LUA_MAX_ARGS);
  for (size_t k = 0; k < n; k++) {
    uint8_t s = c->args[idx[k]].src;
    if (s == LUA_SRC_LITERAL || s == LUA_SRC_ARGV || s == LUA_SRC_DATA || s == LUA_SRC_KEYS_DERIVED)
      return &c->args[idx[k]];
  }
  return NULL;
}

static bool seen(uint32_t *at, size_t *n, size_t cap, uint32_t pos) {
  for (size_t i = 0; i < *n; i++)
    if (at[i] == pos) return true;
  if (*n < cap) at[(*n)++] = pos;
  return false;
}

/* One finding per script (not per redis.call): at its first key that is not
 * in KEYS, listing them all, the others as related locations. */
static void check(RuleCtx *ctx) {
  bool tests = in_test_code(ctx->src, ctx->opt);
  uint32_t reported[512];
  size_t nrep = 0;
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    ScriptText st;
    if (!call_method_in(cs, LUA_SCRIPT_METHODS) || !script_of_call(ctx, cs, &st)) continue;
    const LuaArg *bad[64];
    const LuaCall *in[64];
    size_t nbad = 0;
    for (size_t k = 0; k < st.ncalls && nbad < 64; k++) {
      const LuaArg *arg = bad_key(&st.calls[k]);
      if (arg) {
        bad[nbad] = arg;
        in[nbad++] = &st.calls[k];
      }
    }
    if (!nbad) continue;
    uint32_t s, e;
    script_span(&st, bad[0]->start, bad[0]->end, &s, &e);
    if (seen(reported, &nrep, 512, s)) continue; /* one script sent by several calls */
    bool cluster = cs->recv.cluster || ctx->opt->cluster;
    Severity sev = tests ? SEV_INFO : cluster ? SEV_ERROR : SEV_WARNING;
    bool derived_only = true;
    const char *list = "";
    for (size_t k = 0; k < nbad; k++) {
      derived_only &= bad[k]->src == LUA_SRC_KEYS_DERIVED;
      if (k < 5)
        list = arena_printf(ctx->arena, "%s%s`%s` of %s (%s)", list, k ? ", " : "",
                            lua_text(ctx, &st, bad[k]->start, bad[k]->end),
                            upper(ctx, in[k]->command),
                            nbad == 1 ? origin_words(bad[k]->src) : origin_short(bad[k]->src));
    }
    if (nbad > 5) list = arena_printf(ctx->arena, "%s and %zu more", list, nbad - 5);
    const char *extra = derived_only
                            ? "Redis Cluster accepts it only while it hashes to the slot of the "
                              "declared keys (a shared {hash tag})"
                            : "Redis Cluster runs a script on the node that owns its KEYS (any "
                              "node when there are none) and fails it when a key lives on "
                              "another node";
    Finding *f = rule_report_span(ctx, s, e, sev,
                                  "%s in the Lua script sent with %s(): %s; %s",
                                  nbad == 1 ? "a key that is not in KEYS"
                                            : arena_printf(ctx->arena, "%zu keys that are not in KEYS", nbad),
                                  cs->method, list, extra);
    if (!tests && !cluster) f->key = PENDING;
    finding_related(ctx, f, NULL, nstart(cs->node), nend(cs->node), "the script is sent here");
    for (size_t k = 1; k < nbad; k++) {
      uint32_t ks, ke;
      script_span(&st, bad[k]->start, bad[k]->end, &ks, &ke);
      if (ks != s) finding_related(ctx, f, NULL, ks, ke, "another key not in KEYS");
    }
    finding_fix(ctx, f, FIX_DISPLAY,
                "Pass every key the script touches in KEYS (`keys=[...]` for a registered "
                "script, numkeys and the keys for eval) and use KEYS[n] in the script; a key "
                "the script must compute needs the {hash tag} of a declared key");
  }
}

/* Cluster mode is a fact of the file's (sub-)project: pending warnings
 * become errors. */
static void check_project(ProjectCtx *ctx) {
  for (size_t fi = 0; fi < ctx->run->nfiles; fi++) {
    FileResult *fr = &ctx->run->files[fi];
    for (size_t k = 0; k < fr->nfindings; k++) {
      Finding *f = &fr->findings[k];
      if (f->rule != ctx->rule || !f->key) continue;
      if (fr->cluster_mode) f->severity = SEV_ERROR;
      f->key = NULL;
    }
  }
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/lua-hardcoded-keys.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_lua_hardcoded_keys = {
    .check_file = check,
    .check_project = check_project,
};
