/* RL106 binary-with-decode-responses: a client built with
 * decode_responses=True storing or reading binary data (pickle, msgpack,
 * compressed bytes): its replies are decoded as UTF-8 and fail. */
#include <string.h>

#include "rule_util.h"

static const char *const DECODERS[] = {
    "pickle.loads", "cPickle.loads", "_pickle.loads", "dill.loads", "cloudpickle.loads",
    "marshal.loads", "msgpack.unpackb", "msgpack.loads", "ormsgpack.unpackb",
    "zlib.decompress", "gzip.decompress", "bz2.decompress", "lzma.decompress",
    "lz4.frame.decompress", "zstd.decompress", "zstandard.decompress", "snappy.decompress",
    "brotli.decompress", NULL};

static const char *decoder_of(RuleCtx *ctx, TSNode call, int scope) {
  if (!node_is(call, SYM.call)) return NULL;
  const char *qn = model_qualname(ctx->model, ts_node_child_by_field_id(call, SYM.f_function), scope);
  if (!qn) return NULL;
  for (const char *const *d = DECODERS; *d; d++)
    if (!strcmp(qn, *d)) return *d;
  return NULL;
}

static void report(RuleCtx *ctx, const CallSite *cs, TSNode at, const char *what) {
  const Source *src = ctx->src;
  Finding *f = rule_report(ctx, at, SEV_ERROR,
                           "`%s` decodes every reply as UTF-8 (decode_responses=True, line %u) "
                           "but %s: reading it raises UnicodeDecodeError",
                           cs->recv_text, line_of(src, cs->recv.ctor_start), what);
  finding_related(ctx, f, NULL, cs->recv.ctor_start, cs->recv.ctor_end,
                  "client built with decode_responses=True here");
  finding_fix(ctx, f, FIX_DISPLAY,
              "Use a second client with decode_responses=False for binary values, built from "
              "the same URL or host (not from the same connection_pool: redis-py takes "
              "decode_responses from the pool), e.g. `binary = redis.Redis.from_url(url)`");
}

static void check_writes(RuleCtx *ctx, const CallSite *cs) {
  Stored st[MAX_VALUES];
  size_t n = stored_values(ctx->model, cs, st, MAX_VALUES, NULL);
  for (size_t k = 0; k < n; k++) {
    ValueFact f = model_value(ctx->model, st[k].value);
    if (!(f.flags & VF_BINARY)) continue;
    report(ctx, cs, report_node(cs, st[k].value),
           arena_printf(ctx->arena, "this stores %s bytes", f.what ? f.what : "binary"));
  }
}

typedef struct DecoderSearch {
  RuleCtx *ctx;
  const CallSite *cs;
  TSNode name;
  const char *found;
} DecoderSearch;

/* node_walk visitor: a later call decoder(name). */
static bool find_decoder(TSNode n, void *data) {
  DecoderSearch *q = data;
  if (nsym(n) != SYM.call || nstart(n) <= nend(q->cs->node)) return true;
  TSNode a0 = call_arg(ts_node_child_by_field_id(n, SYM.f_arguments), 0);
  if (node_is(a0, SYM.identifier) && node_same_text(q->ctx->src, a0, q->name))
    q->found = decoder_of(q->ctx, n, q->cs->scope);
  return q->found == NULL;
}

/* Is the read's result passed to a decoder, directly or through one local name? */
static const char *read_decoded(RuleCtx *ctx, const CallSite *cs, TSNode *at) {
  TSNode use = cs->node;
  TSNode parent = ts_node_parent(use);
  if (node_is(parent, SYM.await)) {
    use = parent;
    parent = ts_node_parent(use);
  }
  *at = cs->node;
  if (node_is(parent, SYM.argument_list))
    return decoder_of(ctx, ts_node_parent(parent), cs->scope);
  if (node_is(parent, SYM.for_in_clause)) { /* [zlib.decompress(c) for c in r.lrange(..)] */
    TSNode comp = ts_node_parent(parent);
    TSNode body = ts_node_child_by_field_id(comp, SYM.f_body);
    TSNode var = ts_node_child_by_field_id(parent, SYM.f_left);
    TSNode a0 = call_arg(ts_node_child_by_field_id(body, SYM.f_arguments), 0);
    if (node_is(var, SYM.identifier) && node_is(a0, SYM.identifier) &&
        nend(a0) - nstart(a0) == nend(var) - nstart(var) &&
        !memcmp(ctx->src->text + nstart(a0), ctx->src->text + nstart(var), nend(a0) - nstart(a0)))
      return decoder_of(ctx, body, cs->scope);
    return NULL;
  }
  if (!node_is(parent, SYM.assignment)) return NULL;
  TSNode name = ts_node_child_by_field_id(parent, SYM.f_left);
  if (!node_is(name, SYM.identifier)) return NULL;
  const Function *fn = model_function(ctx->model, cs->func);
  TSNode body = fn ? fn->node : model_root(ctx->model);
  /* scan the calls after the read in the same function for decoder(name) */
  DecoderSearch q = {ctx, cs, name, NULL};
  node_walk(body, find_decoder, &q);
  return q.found;
}

static void check(RuleCtx *ctx) {
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (cs->recv.decode != TRI_TRUE || !cs->cmd || cs->recv.ctor_end == 0) continue;
    if (cs->cmd->flags & CMD_WRITE) check_writes(ctx, cs);
    if (!(cs->cmd->flags & CMD_READ)) continue;
    TSNode at;
    const char *d = read_decoded(ctx, cs, &at);
    if (d) report(ctx, cs, at, arena_printf(ctx->arena, "this reply is passed to %s()", d));
  }
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/binary-with-decode-responses.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_binary_with_decode_responses = {
    .check_file = check,
};
