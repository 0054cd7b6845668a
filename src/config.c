/* config.c - redislint.json (see config.h). */
#include "config.h"
#include "tomlcfg.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "fsutil.h"
#include "output_internal.h"
#include "rule.h"
#include "suggest.h"

#define CONFIG_MAX_BYTES (4u << 20)

static const char *const TOP_KEYS[] = {"select", "ignore", "extend-select", "per-file-ignores",
                                       "exclude", "severity", "cluster", "redis-py-version",
                                       "redis-conf", "noqa", "options", "target-redis-version",
                                       "cache-dir", "$schema"};

typedef struct OptKey {
  const char *name;
  size_t off;  /* offset in Config */
  long min, max;
} OptKey;

#define OFF(f) offsetof(Config, f)
static const OptKey OPT_KEYS[] = {
    {"default-ttl", OFF(default_ttl), 1, 365L * 86400},
    {"lock-ttl", OFF(lock_ttl), 1, 86400},
    {"socket-timeout", OFF(socket_timeout), 1, 3600},
    {"block-timeout", OFF(block_timeout), 1, 3600},
    {"hash-max-listpack-entries", OFF(hash_max_listpack_entries), 0, 1L << 30},
    {"hash-max-listpack-value", OFF(hash_max_listpack_value), 0, 1L << 30},
    {"set-max-intset-entries", OFF(set_max_intset_entries), 0, 1L << 30},
    {"blob-min-bytes", OFF(blob_min_bytes), 1, 1L << 30},
    {"per-field-min-group", OFF(per_field_min_group), 2, 1000},
};

int config_redis_version(const char *s) {
  char *end;
  long major = strtol(s, &end, 10);
  if (end == s || major < 1 || major > 99) return -1;
  long minor = 0;
  if (*end == '.') {
    const char *m = end + 1;
    minor = strtol(m, &end, 10);
    if (end == m || minor < 0 || minor > 99) return -1;
    if (*end == '.') { /* a patch number is allowed and ignored */
      const char *p = end + 1;
      strtol(p, &end, 10);
      if (end == p) return -1;
    }
  }
  return *end ? -1 : (int)(major * 100 + minor);
}


static void bad(Diags *d, const Config *cfg, const char *fmt, const char *a, const char *b) {
  char msg[512];
  snprintf(msg, sizeof msg, fmt, a, b ? b : "");
  diags_add(d, DIAG_ERROR, cfg->path, 0, "%s", msg);
}

/* A list of rule codes/slugs: JSON array of strings, or one string. */
static char *rule_list(cJSON *v, const char *key, Config *cfg, Diags *d, bool *ok) {
  if (cJSON_IsString(v)) return xstrdup(v->valuestring);
  if (!cJSON_IsArray(v)) {
    bad(d, cfg, "`%s` must be a list of rule codes or slugs, like [\"RL101\", \"keys-command\"]%s",
        key, NULL);
    *ok = false;
    return NULL;
  }
  size_t cap = 1;
  cJSON *it;
  cJSON_ArrayForEach(it, v) cap += cJSON_IsString(it) ? strlen(it->valuestring) + 1 : 0;
  char *out = xmalloc(cap);
  size_t len = 0;
  out[0] = '\0';
  cJSON_ArrayForEach(it, v) {
    if (!cJSON_IsString(it)) {
      bad(d, cfg, "`%s` must list strings%s", key, NULL);
      *ok = false;
      continue;
    }
    const char *r = it->valuestring;
    bool known = !strcasecmp(r, "ALL") || rules_find(r);
    for (size_t i = 0; !known && i < rules_count(); i++)
      known = strlen(r) >= 2 && !strncasecmp(r, rules_at(i)->code, strlen(r));
    if (!known) {
      bad(d, cfg, "`%s`: unknown rule '%s' (see `redislint rules`)", key, r);
      *ok = false;
    }
    len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? "," : "", r);
  }
  return out;
}

static bool parse_severity(const char *s, Severity *out) {
  if (!strcmp(s, "error")) *out = SEV_ERROR;
  else if (!strcmp(s, "warning")) *out = SEV_WARNING;
  else if (!strcmp(s, "info")) *out = SEV_INFO;
  else return false;
  return true;
}

static int cmp_key(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The first key that an object in the document holds twice, or NULL (JSON
 * allows it, cJSON keeps both, and which one counts would be a guess). */
static const char *duplicate_key(const cJSON *node) {
  size_t n = 0;
  const cJSON *c;
  for (c = node->child; c; c = c->next) n++;
  const char *dup = NULL;
  if (cJSON_IsObject(node) && n > 1) {
    const char **keys = xcalloc(n, sizeof(char *));
    size_t k = 0;
    for (c = node->child; c; c = c->next) keys[k++] = c->string ? c->string : "";
    qsort(keys, n, sizeof(char *), cmp_key);
    for (size_t i = 1; i < n && !dup; i++)
      if (!strcmp(keys[i - 1], keys[i])) dup = keys[i];
    free(keys);
  }
  for (c = node->child; c && !dup; c = c->next) dup = duplicate_key(c);
  return dup;
}

static int parse(Config *cfg, cJSON *root, const char *dir, Diags *d) {
  bool ok = true;
  if (!cJSON_IsObject(root)) {
    diags_add(d, DIAG_ERROR, cfg->path, 0, "the configuration must be a JSON object");
    return -1;
  }
  const char *dup = duplicate_key(root);
  if (dup) {
    diags_add(d, DIAG_ERROR, cfg->path, 0, "the key '%s' appears twice in one object", dup);
    return -1;
  }
  cJSON *it;
  cJSON_ArrayForEach(it, root) {
    const char *k = it->string;
    bool known = false;
    for (size_t i = 0; i < sizeof TOP_KEYS / sizeof *TOP_KEYS; i++) known |= !strcmp(k, TOP_KEYS[i]);
    if (!known) {
      const char *near = suggest_nearest(k, TOP_KEYS, sizeof TOP_KEYS / sizeof *TOP_KEYS, sizeof *TOP_KEYS);
      char hint[128] = "";
      if (near) snprintf(hint, sizeof hint, " (did you mean '%s'?)", near);
      bad(d, cfg, "unknown key '%s'%s", k, hint);
      ok = false;
    } else if (!strcmp(k, "select")) {
      cfg->select = rule_list(it, k, cfg, d, &ok);
    } else if (!strcmp(k, "ignore")) {
      cfg->ignore = rule_list(it, k, cfg, d, &ok);
    } else if (!strcmp(k, "extend-select")) {
      cfg->extend_select = rule_list(it, k, cfg, d, &ok);
    } else if (!strcmp(k, "exclude")) {
      cJSON *e;
      if (!cJSON_IsArray(it)) {
        bad(d, cfg, "`exclude` must be a list of globs, like [\"migrations/\"]%s%s", "", NULL);
        ok = false;
        continue;
      }
      cJSON_ArrayForEach(e, it) {
        if (!cJSON_IsString(e) || cfg->nexclude == CONFIG_MAX_LIST) {
          bad(d, cfg, "`exclude` must list at most 128 strings%s%s", "", NULL);
          ok = false;
          break;
        }
        cfg->exclude[cfg->nexclude++] = xstrdup(e->valuestring);
      }
    } else if (!strcmp(k, "per-file-ignores")) {
      cJSON *e;
      if (!cJSON_IsObject(it)) {
        bad(d, cfg, "`per-file-ignores` must map globs to rule lists%s%s", "", NULL);
        ok = false;
        continue;
      }
      cJSON_ArrayForEach(e, it) {
        if (cfg->npfi == CONFIG_MAX_LIST) break;
        char *rules = rule_list(e, "per-file-ignores", cfg, d, &ok);
        if (rules) cfg->pfi[cfg->npfi++] = (PerFileIgnore){xstrdup(e->string), rules};
      }
    } else if (!strcmp(k, "severity")) {
      cJSON *e;
      if (!cJSON_IsObject(it)) {
        bad(d, cfg, "`severity` must map rules to \"error\", \"warning\" or \"info\"%s%s", "", NULL);
        ok = false;
        continue;
      }
      cJSON_ArrayForEach(e, it) {
        Severity s;
        if (!rules_find(e->string)) {
          bad(d, cfg, "`severity`: unknown rule '%s'%s", e->string, NULL);
          ok = false;
        } else if (!cJSON_IsString(e) || !parse_severity(e->valuestring, &s)) {
          bad(d, cfg, "`severity.%s` must be \"error\", \"warning\" or \"info\"%s", e->string, NULL);
          ok = false;
        } else if (cfg->nsev < CONFIG_MAX_LIST) {
          cfg->sev[cfg->nsev++] = (SeverityOverride){xstrdup(e->string), s};
        }
      }
    } else if (!strcmp(k, "cluster") || !strcmp(k, "noqa")) {
      if (!cJSON_IsBool(it)) {
        bad(d, cfg, "`%s` must be true or false%s", k, NULL);
        ok = false;
      } else if (!strcmp(k, "cluster")) {
        cfg->cluster = cJSON_IsTrue(it);
      } else {
        cfg->noqa = cJSON_IsTrue(it);
      }
    } else if (!strcmp(k, "redis-py-version")) {
      PyVer v;
      if (!cJSON_IsString(it) || pyver_parse_override(it->valuestring, &v)) {
        bad(d, cfg, "`redis-py-version` must be a version string like \"5.0.8\"%s%s", "", NULL);
        ok = false;
      } else {
        cfg->redis_py_version = xstrdup(it->valuestring);
      }
    } else if (!strcmp(k, "target-redis-version")) {
      int v = cJSON_IsString(it) ? config_redis_version(it->valuestring) : -1;
      if (v <= 0) {
        bad(d, cfg, "`target-redis-version` must be a Redis version like \"7.2\"%s%s", "", NULL);
        ok = false;
      } else {
        cfg->target_redis = v;
      }
    } else if (!strcmp(k, "redis-conf") || !strcmp(k, "cache-dir")) {
      if (!cJSON_IsString(it) || !*it->valuestring) {
        bad(d, cfg, "`%s` must be a path%s", k, "");
        ok = false;
      } else { /* resolved against the configuration file's directory */
        const char *p = it->valuestring;
        size_t n = strlen(dir) + strlen(p) + 2;
        char *full = xmalloc(n);
        if (p[0] == '/' || !*dir) snprintf(full, n, "%s", p);
        else snprintf(full, n, "%s/%s", dir, p);
        char **slot = !strcmp(k, "cache-dir") ? &cfg->cache_dir : &cfg->redis_conf;
        free(*slot);
        *slot = full;
      }
    } else if (!strcmp(k, "options")) {
      cJSON *e;
      if (!cJSON_IsObject(it)) {
        bad(d, cfg, "`options` must be an object%s%s", "", NULL);
        ok = false;
        continue;
      }
      cJSON_ArrayForEach(e, it) {
        /* the lists of globs */
        struct { const char *name; char **dst; size_t *n; } lists[] = {
            {"test-paths", cfg->test_paths, &cfg->ntest_paths},
            {"cache-keys", cfg->cache_keys, &cfg->ncache_keys},
            {"example-paths", cfg->example_paths, &cfg->nexample_paths},
            {"script-paths", cfg->script_paths, &cfg->nscript_paths}};
        size_t li = 0;
        while (li < 4 && strcmp(e->string, lists[li].name)) li++;
        if (li < 4) {
          char **dst = lists[li].dst;
          size_t *n = lists[li].n;
          cJSON *g;
          if (!cJSON_IsArray(e)) {
            bad(d, cfg, "`options.%s` must be a list of globs%s", e->string, NULL);
            ok = false;
            continue;
          }
          cJSON_ArrayForEach(g, e) {
            if (!cJSON_IsString(g) || *n == CONFIG_MAX_LIST) {
              bad(d, cfg, "`options.%s` must list at most 128 strings%s", e->string, NULL);
              ok = false;
              break;
            }
            dst[(*n)++] = xstrdup(g->valuestring);
          }
          continue;
        }
        const OptKey *ok_key = NULL;
        for (size_t i = 0; i < sizeof OPT_KEYS / sizeof *OPT_KEYS; i++)
          if (!strcmp(e->string, OPT_KEYS[i].name)) ok_key = &OPT_KEYS[i];
        if (!ok_key) {
          const char *near = suggest_nearest(e->string, &OPT_KEYS[0].name,
                                     sizeof OPT_KEYS / sizeof *OPT_KEYS, sizeof *OPT_KEYS);
          if (!near && suggest_distance(e->string, "test-paths") <= 3) near = "test-paths";
          if (!near && suggest_distance(e->string, "cache-keys") <= 3) near = "cache-keys";
          if (!near && suggest_distance(e->string, "example-paths") <= 3) near = "example-paths";
          if (!near && suggest_distance(e->string, "script-paths") <= 3) near = "script-paths";
          char hint[128] = "";
          if (near) snprintf(hint, sizeof hint, " (did you mean '%s'?)", near);
          bad(d, cfg, "unknown option 'options.%s'%s", e->string, hint);
          ok = false;
          continue;
        }
        double v = e->valuedouble;
        /* the range first: casting 1e300 to long is undefined */
        if (!cJSON_IsNumber(e) || !(v >= ok_key->min && v <= ok_key->max) || v != (double)(long)v) {
          char range[96];
          snprintf(range, sizeof range, "a whole number from %ld to %ld", ok_key->min, ok_key->max);
          bad(d, cfg, "`options.%s` must be %s", e->string, range);
          ok = false;
          continue;
        }
        *(long *)((char *)cfg + ok_key->off) = (long)v;
      }
    }
  }
  return ok ? 0 : -1;
}

void config_init(Config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->cluster = cfg->noqa = -1;
  for (size_t i = 0; i < sizeof OPT_KEYS / sizeof *OPT_KEYS; i++)
    *(long *)((char *)cfg + OPT_KEYS[i].off) = -1;
}

/* "app/../x.json" -> "x.json", "./a/./b" -> "a/b" (lexically). */
static char *tidy(const char *p) {
  char *out = xmalloc(strlen(p) + 1);
  size_t k = 0;
  bool abs = p[0] == '/';
  for (const char *t = p; *t;) {
    const char *slash = strchr(t, '/');
    size_t len = slash ? (size_t)(slash - t) : strlen(t);
    if (len == 0 || (len == 1 && t[0] == '.')) {
    } else if (len == 2 && t[0] == '.' && t[1] == '.' && k > 0 &&
               !(k >= 2 && out[k - 1] == '.' && out[k - 2] == '.' && (k == 2 || out[k - 3] == '/'))) {
      while (k > 0 && out[k - 1] != '/') k--; /* drop the last component */
      if (k > 0) k--;
    } else {
      if (k > 0 || abs) out[k++] = '/';
      memcpy(out + k, t, len);
      k += len;
    }
    if (!slash) break;
    t = slash + 1;
  }
  out[k] = '\0';
  return out;
}

static bool is_toml(const char *path) {
  size_t n = strlen(path);
  return n >= 5 && !strcmp(path + n - 5, ".toml");
}

/* Does the pyproject.toml at `path` configure redislint? Invalid TOML counts
   as yes, so that config_load reports it rather than skipping it. */
static bool pyproject_has_table(const char *path) {
  size_t n;
  char *buf = fs_read(path, CONFIG_MAX_BYTES, &n);
  if (!buf) return true;
  char *json = NULL, err[256];
  unsigned line;
  TomlCfgResult r = tomlcfg_tool_table(path, buf, n, "redislint", &json, err, sizeof err, &line);
  free(json);
  free(buf);
  return r != TOMLCFG_ABSENT;
}

/* The configuration text of `path` as JSON: the file itself, or the
   [tool.redislint] table of a .toml file. NULL with a diagnostic. */
static char *config_json(const char *path, size_t *len, Diags *d) {
  char *buf = fs_read(path, CONFIG_MAX_BYTES, len);
  if (!buf) {
    diags_add(d, DIAG_ERROR, path, 0, "cannot read the configuration: %s", fs_error(errno));
    return NULL;
  }
  if (!is_toml(path)) return buf;
  char *json = NULL, err[256] = "";
  unsigned line = 0;
  TomlCfgResult r = tomlcfg_tool_table(path, buf, *len, "redislint", &json, err, sizeof err, &line);
  free(buf);
  switch (r) {
  case TOMLCFG_FOUND:
    *len = strlen(json);
    return json;
  case TOMLCFG_ABSENT:
    diags_add(d, DIAG_ERROR, path, 0, "has no [tool.redislint] table");
    return NULL;
  case TOMLCFG_INVALID:
    diags_add(d, DIAG_ERROR, path, line, "not valid TOML: %s", err);
    return NULL;
  case TOMLCFG_NOT_TABLE:
    diags_add(d, DIAG_ERROR, path, 0, "%s", err);
    return NULL;
  }
  return NULL;
}

/* The nearest config file from start's directory upward. */
static char *find_config(const char *start) {
  char dir[4096];
  struct stat st;
  if (!start || !*start || !strcmp(start, "-")) snprintf(dir, sizeof dir, ".");
  else if (stat(start, &st) == 0 && S_ISDIR(st.st_mode)) snprintf(dir, sizeof dir, "%s", start);
  else {
    const char *slash = strrchr(start, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - start) : 1, slash ? start : ".");
    if (!*dir) snprintf(dir, sizeof dir, "/");
  }
  for (int depth = 0; depth < 64; depth++) {
    static const char *const names[] = {"redislint.json", ".redislint.json", "pyproject.toml"};
    for (size_t i = 0; i < 3; i++) {
      char p[4200];
      snprintf(p, sizeof p, "%s/%s", dir, names[i]);
      /* a pyproject.toml counts only when it has a [tool.redislint] table
         (as ruff does with [tool.ruff]); a broken one is reported */
      if (fs_is_file(p) && (i < 2 || pyproject_has_table(p))) return tidy(p);
    }
    if (fs_is_repo_root(dir)) return NULL;
    size_t n = strlen(dir);
    if (n + 4 >= sizeof dir) return NULL;
    /* go up: "a/b" -> "a/b/.." (lexically, symlinks are the user's business) */
    char real[4100];
    snprintf(real, sizeof real, "%s/..", dir);
    struct stat a, b;
    if (stat(dir, &a) != 0 || stat(real, &b) != 0) return NULL;
    if (a.st_ino == b.st_ino && a.st_dev == b.st_dev) return NULL; /* "/" */
    memcpy(dir, real, strlen(real) + 1); /* n + 4 < sizeof dir checked above */
  }
  return NULL;
}

int config_load(Config *cfg, const char *explicit_path, const char *start, Diags *d) {
  config_init(cfg);
  cfg->path = explicit_path ? xstrdup(explicit_path) : find_config(start);
  if (!cfg->path) return 0;
  size_t n;
  char *buf = config_json(cfg->path, &n, d);
  if (!buf) return -1;
  const char *err = NULL;
  cJSON *root = cJSON_ParseWithLengthOpts(buf, n, &err, 0);
  int rc;
  if (!root) {
    unsigned line = 1;
    for (const char *p = buf; err && p < err; p++) line += *p == '\n';
    diags_add(d, DIAG_ERROR, cfg->path, line, "not valid JSON near line %u", line);
    rc = -1;
  } else {
    char dir[4096];
    const char *slash = strrchr(cfg->path, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - cfg->path) : 0, cfg->path);
    rc = parse(cfg, root, dir, d);
  }
  cJSON_Delete(root);
  free(buf);
  return rc;
}

void config_free(Config *cfg) {
  free(cfg->path);
  free(cfg->select);
  free(cfg->ignore);
  free(cfg->extend_select);
  for (size_t i = 0; i < cfg->nexclude; i++) free(cfg->exclude[i]);
  for (size_t i = 0; i < cfg->npfi; i++) {
    free(cfg->pfi[i].glob);
    free(cfg->pfi[i].rules);
  }
  for (size_t i = 0; i < cfg->nsev; i++) free(cfg->sev[i].rule);
  for (size_t i = 0; i < cfg->ntest_paths; i++) free(cfg->test_paths[i]);
  for (size_t i = 0; i < cfg->nexample_paths; i++) free(cfg->example_paths[i]);
  for (size_t i = 0; i < cfg->nscript_paths; i++) free(cfg->script_paths[i]);
  for (size_t i = 0; i < cfg->ncache_keys; i++) free(cfg->cache_keys[i]);
  free(cfg->redis_py_version);
  free(cfg->redis_conf);
  free(cfg->cache_dir);
  memset(cfg, 0, sizeof *cfg);
}

void config_print(FILE *out, const Config *cfg, const Options *opt) {
  cJSON *root = cJSON_CreateObject();
  if (cfg->path) {
    cJSON_AddStringToObject(root, "config-file", cfg->path);
    if (is_toml(cfg->path)) cJSON_AddStringToObject(root, "config-table", "tool.redislint");
  }
  else cJSON_AddNullToObject(root, "config-file");
  cJSON *sel = cJSON_AddArrayToObject(root, "rules");
  for (size_t i = 0; i < rules_count(); i++)
    if (opt->enabled[i]) cJSON_AddItemToArray(sel, cJSON_CreateString(rules_at(i)->code));
  cJSON *ex = cJSON_AddArrayToObject(root, "exclude");
  for (size_t i = 0; i < cfg->nexclude; i++) cJSON_AddItemToArray(ex, cJSON_CreateString(cfg->exclude[i]));
  cJSON *pfi = cJSON_AddObjectToObject(root, "per-file-ignores");
  for (size_t i = 0; i < cfg->npfi; i++) cJSON_AddStringToObject(pfi, cfg->pfi[i].glob, cfg->pfi[i].rules);
  cJSON *sv = cJSON_AddObjectToObject(root, "severity");
  for (size_t i = 0; i < cfg->nsev; i++)
    cJSON_AddStringToObject(sv, cfg->sev[i].rule, severity_name(cfg->sev[i].sev));
  cJSON_AddBoolToObject(root, "cluster", opt->cluster);
  if (opt->target_redis) {
    char v[16];
    snprintf(v, sizeof v, "%d.%d", opt->target_redis / 100, opt->target_redis % 100);
    cJSON_AddStringToObject(root, "target-redis-version", v);
  } else {
    cJSON_AddStringToObject(root, "target-redis-version", "current");
  }
  cJSON_AddBoolToObject(root, "noqa", opt->bare_noqa);
  cJSON_AddStringToObject(root, "cache-dir",
                          cfg->cache_dir ? cfg->cache_dir : ".redislint_cache at the project root");
  if (opt->pyver_set) cJSON_AddStringToObject(root, "redis-py-version", opt->pyver.source);
  else cJSON_AddStringToObject(root, "redis-py-version", "from the project's dependency files");
  cJSON *o = cJSON_AddObjectToObject(root, "options");
  cJSON_AddNumberToObject(o, "default-ttl", (double)opt->default_ttl);
  cJSON_AddNumberToObject(o, "lock-ttl", (double)opt->lock_ttl);
  cJSON_AddNumberToObject(o, "socket-timeout", (double)opt->socket_timeout);
  cJSON_AddNumberToObject(o, "block-timeout", (double)opt->block_timeout);
  cJSON_AddNumberToObject(o, "hash-max-listpack-entries", (double)opt->th.hash_max_listpack_entries);
  cJSON_AddNumberToObject(o, "hash-max-listpack-value", (double)opt->th.hash_max_listpack_value);
  cJSON_AddNumberToObject(o, "set-max-intset-entries", (double)opt->th.set_max_intset_entries);
  cJSON_AddNumberToObject(o, "blob-min-bytes", (double)opt->th.blob_min_bytes);
  cJSON_AddNumberToObject(o, "per-field-min-group", (double)opt->th.per_field_min_group);
  cJSON *tp = cJSON_AddArrayToObject(o, "test-paths");
  for (size_t i = 0; i < opt->ntest_globs; i++) cJSON_AddItemToArray(tp, cJSON_CreateString(opt->test_globs[i]));
  cJSON *ck = cJSON_AddArrayToObject(o, "cache-keys");
  for (size_t i = 0; i < opt->ncache_globs; i++) cJSON_AddItemToArray(ck, cJSON_CreateString(opt->cache_globs[i]));
  cJSON *ep = cJSON_AddArrayToObject(o, "example-paths");
  for (size_t i = 0; i < opt->nexample_globs; i++) cJSON_AddItemToArray(ep, cJSON_CreateString(opt->example_globs[i]));
  cJSON *sp = cJSON_AddArrayToObject(o, "script-paths");
  for (size_t i = 0; i < opt->nscript_globs; i++) cJSON_AddItemToArray(sp, cJSON_CreateString(opt->script_globs[i]));
  output_print_json(out, root);
  cJSON_Delete(root);
}
