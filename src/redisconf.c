/* redisconf.c - thresholds from redis.conf (see redisconf.h). */
#include "redisconf.h"

#include "fsutil.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

long long redisconf_size(const char *text) {
  char *end;
  errno = 0;
  long long v = strtoll(text, &end, 10);
  if (errno || end == text || v < 0) return -1;
  static const struct {
    const char *unit;
    long long mul;
  } units[] = {{"", 1},          {"b", 1},           {"k", 1000},
               {"kb", 1024},     {"m", 1000000},     {"mb", 1024LL * 1024},
               {"g", 1000000000}, {"gb", 1024LL * 1024 * 1024}};
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
    if (!strcasecmp(end, units[i].unit)) {
      if (v > INT64_MAX / units[i].mul) return -1;
      return v * units[i].mul;
    }
  return -1;
}

int redisconf_load(const char *path, Thresholds *th, Diags *d) {
  /* a directory would read as empty, a FIFO or /dev/zero would never end */
  int bad = fs_check_regular(path);
  FILE *f = bad ? NULL : fopen(path, "r");
  if (!f) {
    diags_add(d, DIAG_ERROR, path, 0, "cannot read the redis.conf: %s", fs_error(bad ? bad : errno));
    return -1;
  }
  const struct {
    const char *name;
    long *lv;
    long long *llv;
  } keys[] = {
      {"hash-max-listpack-entries", &th->hash_max_listpack_entries, NULL},
      {"hash-max-ziplist-entries", &th->hash_max_listpack_entries, NULL},
      {"hash-max-listpack-value", &th->hash_max_listpack_value, NULL},
      {"hash-max-ziplist-value", &th->hash_max_listpack_value, NULL},
      {"set-max-intset-entries", &th->set_max_intset_entries, NULL},
      {"set-max-listpack-entries", &th->set_max_listpack_entries, NULL},
      {"set-max-listpack-value", &th->set_max_listpack_value, NULL},
      {"zset-max-listpack-entries", &th->zset_max_listpack_entries, NULL},
      {"zset-max-ziplist-entries", &th->zset_max_listpack_entries, NULL},
      {"zset-max-listpack-value", &th->zset_max_listpack_value, NULL},
      {"zset-max-ziplist-value", &th->zset_max_listpack_value, NULL},
      {"list-max-listpack-size", &th->list_max_listpack_size, NULL},
      {"list-max-ziplist-size", &th->list_max_listpack_size, NULL},
      {"proto-max-bulk-len", NULL, &th->proto_max_bulk_len},
  };
  char line[4096];
  unsigned ln = 0;
  int rc = 0;
  while (fgets(line, sizeof line, f)) {
    ln++;
    char *p = line;
    while (isspace((unsigned char)*p)) p++;
    if (!*p || *p == '#') continue;
    char name[128], value[128];
    if (sscanf(p, "%127s %127s", name, value) != 2) continue;
    size_t vl = strlen(value); /* "512" or '"512"' */
    if (vl >= 2 && (value[0] == '"' || value[0] == '\'') && value[vl - 1] == value[0]) {
      memmove(value, value + 1, vl - 2);
      value[vl - 2] = '\0';
    }
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
      if (strcasecmp(name, keys[i].name)) continue;
      long long v = keys[i].llv ? redisconf_size(value) : 0;
      char *end = NULL;
      long lv = 0;
      bool ok;
      if (keys[i].llv) {
        ok = v > 0;
      } else {
        errno = 0;
        lv = strtol(value, &end, 10);
        /* list-max-listpack-size may be negative (-1..-5: node size classes) */
        ok = !errno && end != value && !*end &&
             (lv >= 0 || (keys[i].lv == &th->list_max_listpack_size && lv >= -5));
      }
      if (!ok) {
        diags_add(d, DIAG_ERROR, path, ln, "%s: '%s' is not a %s", name, value,
                  keys[i].llv ? "size (like 512mb)" : "valid number");
        rc = -1;
      } else if (keys[i].llv) {
        *keys[i].llv = v;
      } else {
        *keys[i].lv = lv;
      }
    }
  }
  fclose(f);
  return rc;
}
