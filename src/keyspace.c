/* keyspace.c - the project's keyspace: per key template, the Redis types and
 * commands that touch it, whether any code gives it a TTL, and where. */
#include "keyspace.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "model.h"
#include "output_internal.h"

typedef KeyRef Ref;

static int cmp_ref(const void *a, const void *b) {
  const Ref *x = a, *y = b;
  int c = strcmp(x->use->key, y->use->key);
  if (c) return c;
  c = strcmp(x->file->src.path, y->file->src.path);
  if (c) return c;
  return x->use->start < y->use->start ? -1 : x->use->start > y->use->start;
}

/* Does this use give the key an expiry? */
static int sets_ttl(const KeyUse *u) {
  static const char *const EXPIRERS[] = {"setex", "psetex", "expire", "pexpire", "expireat",
                                         "pexpireat", NULL};
  for (const char *const *e = EXPIRERS; *e; e++)
    if (!strcmp(u->method, *e)) return 1;
  return !strcmp(u->method, "set") && u->ttl[0] && strcmp(u->ttl, "**");
}

static const char *type_of(uint32_t flags) {
  if (flags & CMD_HASH) return "hash";
  if (flags & CMD_LIST) return "list";
  if (flags & CMD_SET) return "set";
  if (flags & CMD_ZSET) return "zset";
  if (flags & CMD_STREAM) return "stream";
  if (flags & CMD_STRING) return "string";
  return NULL;
}

char *keyspace_display(const char *key) {
  size_t n = strlen(key), o = 0;
  char *d = xmalloc(2 * n + 1);
  for (size_t i = 0; i < n; i++) {
    if (key[i] == KEY_HOLE) {
      d[o++] = '{';
      d[o++] = '}';
    } else {
      d[o++] = key[i];
    }
  }
  d[o] = '\0';
  return d;
}

/* Appends s to a comma list in buf unless already there. */
static void add_unique(char *buf, size_t cap, const char *s) {
  size_t n = strlen(s);
  for (const char *p = buf; (p = strstr(p, s)); p += n)
    if ((p == buf || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0')) return;
  size_t len = strlen(buf);
  snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", s);
}

KeyRef *keyspace_refs(const LintRun *run, size_t *n_out) {
  size_t n = 0;
  for (size_t f = 0; f < run->nfiles; f++) n += run->files[f].nkeys;
  Ref *refs = xcalloc(n ? n : 1, sizeof(Ref));
  n = 0;
  for (size_t f = 0; f < run->nfiles; f++)
    for (size_t k = 0; k < run->files[f].nkeys; k++)
      refs[n++] = (Ref){&run->files[f].keys[k], &run->files[f]};
  qsort(refs, n, sizeof(Ref), cmp_ref);
  *n_out = n;
  return refs;
}

typedef struct Row {
  char *key;
  char types[128], commands[512];
  int ttl;
  size_t first, count; /* refs[first .. first+count) */
} Row;

static void summarize(const Ref *refs, size_t i, size_t j, Row *row) {
  memset(row, 0, sizeof *row);
  row->key = keyspace_display(refs[i].use->key);
  row->first = i;
  row->count = j - i;
  for (size_t k = i; k < j; k++) {
    const char *t = type_of(refs[k].use->cmd_flags);
    if (t) add_unique(row->types, sizeof row->types, t);
    add_unique(row->commands, sizeof row->commands, refs[k].use->command);
    row->ttl |= sets_ttl(refs[k].use);
  }
  if (!row->types[0]) snprintf(row->types, sizeof row->types, "?");
}

static void text_row(FILE *out, const Ref *refs, const Row *r) {
  const Ref *f = &refs[r->first];
  Position p = source_position(&f->file->src, f->use->start);
  char where[600];
  snprintf(where, sizeof where, "%s:%u", f->file->src.path, p.line);
  fprintf(out, "%-32s  %-12s  %-3s  %-36s  %s", r->key, r->types, r->ttl ? "yes" : "no",
          r->commands, where);
  if (r->count > 1) fprintf(out, " (+%zu)", r->count - 1);
  fputc('\n', out);
}

static cJSON *json_row(const Ref *refs, const Row *r) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "key", r->key);
  cJSON *types = cJSON_AddArrayToObject(o, "types"), *cmds = cJSON_AddArrayToObject(o, "commands");
  for (size_t k = r->first; k < r->first + r->count; k++) {
    const char *t = type_of(refs[k].use->cmd_flags);
    int seen_t = 0, seen_c = 0;
    for (int i = 0; t && i < cJSON_GetArraySize(types); i++)
      seen_t |= !strcmp(cJSON_GetArrayItem(types, i)->valuestring, t);
    for (int i = 0; i < cJSON_GetArraySize(cmds); i++)
      seen_c |= !strcmp(cJSON_GetArrayItem(cmds, i)->valuestring, refs[k].use->command);
    if (t && !seen_t) cJSON_AddItemToArray(types, cJSON_CreateString(t));
    if (!seen_c) cJSON_AddItemToArray(cmds, cJSON_CreateString(refs[k].use->command));
  }
  cJSON_AddBoolToObject(o, "ttl", r->ttl);
  cJSON *uses = cJSON_AddArrayToObject(o, "uses");
  for (size_t k = r->first; k < r->first + r->count; k++) {
    Position p = source_position(&refs[k].file->src, refs[k].use->start);
    cJSON *u = cJSON_CreateObject();
    cJSON_AddStringToObject(u, "path", refs[k].file->src.path);
    cJSON_AddNumberToObject(u, "line", p.line);
    cJSON_AddNumberToObject(u, "column", p.column);
    cJSON_AddStringToObject(u, "command", refs[k].use->command);
    cJSON_AddStringToObject(u, "function", refs[k].use->func ? refs[k].use->func : "");
    cJSON_AddItemToArray(uses, u);
  }
  return o;
}

int keyspace_write(FILE *out, const LintRun *run, int json) {
  size_t n;
  Ref *refs = keyspace_refs(run, &n);
  cJSON *doc = json ? cJSON_CreateObject() : NULL, *keys = NULL;
  if (doc) {
    cJSON_AddNumberToObject(doc, "version", 1);
    keys = cJSON_AddArrayToObject(doc, "keys");
  } else {
    fprintf(out, "%-32s  %-12s  %-3s  %-36s  %s\n", "KEY", "TYPE", "TTL", "COMMANDS", "WHERE");
  }
  size_t rows = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && !strcmp(refs[j].use->key, refs[i].use->key)) j++;
    Row r;
    summarize(refs, i, j, &r);
    if (doc) cJSON_AddItemToArray(keys, json_row(refs, &r));
    else text_row(out, refs, &r);
    free(r.key);
    rows++;
    i = j;
  }
  if (doc) {
    output_print_json(out, doc);
    cJSON_Delete(doc);
  } else {
    fprintf(out, "%zu key templates, %zu uses\n", rows, n);
  }
  free(refs);
  return ferror(out) ? -1 : 0;
}
