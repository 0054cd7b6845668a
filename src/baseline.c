/* baseline.c - recorded findings (see baseline.h). */
#include "baseline.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fsutil.h"
#include "output_internal.h"

#define BASELINE_MAX_BYTES (256u << 20)

int baseline_write(const char *path, const LintRun *run) {
  cJSON *root = cJSON_CreateObject();
  cJSON_AddNumberToObject(root, "version", 1);
  cJSON_AddStringToObject(root, "tool", "redislint");
  cJSON *arr = cJSON_AddArrayToObject(root, "findings");
  for (size_t i = 0; i < run->nfiles; i++) {
    const FileResult *fr = &run->files[i];
    if (!fr->nfindings) continue;
    char(*fps)[17] = xmalloc(fr->nfindings * sizeof *fps);
    output_fingerprints(fr, fps);
    for (size_t k = 0; k < fr->nfindings; k++) {
      cJSON *o = cJSON_CreateObject();
      cJSON_AddStringToObject(o, "rule", output_code(&fr->findings[k]));
      cJSON_AddStringToObject(o, "path", fr->src.path);
      cJSON_AddStringToObject(o, "fingerprint", fps[k]);
      cJSON_AddStringToObject(o, "message", fr->findings[k].message);
      cJSON_AddItemToArray(arr, o);
    }
    free(fps);
  }
  /* built in memory, then written atomically: a full disk keeps the
   * previous baseline whole */
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  int rc = f ? output_print_json(f, root) : -1;
  if (f && fclose(f) != 0) rc = -1;
  if (rc == 0 && fs_write_atomic(path, buf, len) != 0) rc = -1;
  if (rc)
    fprintf(stderr, "redislint: error: cannot write the baseline %s: %s; the previous file is unchanged\n",
            path, strerror(errno));
  free(buf);
  cJSON_Delete(root);
  return rc;
}


typedef struct Entry {
  const char *rule, *path, *fp;
  bool used;
} Entry;

int baseline_apply(const char *path, LintRun *run, BaselineStats *st) {
  memset(st, 0, sizeof *st);
  size_t len;
  char *text = fs_read(path, BASELINE_MAX_BYTES, &len);
  if (!text) {
    fprintf(stderr, "redislint: error: %s: cannot read the baseline: %s\n", path, fs_error(errno));
    return -1;
  }
  cJSON *root = cJSON_ParseWithLength(text, len);
  free(text);
  cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "findings");
  cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "version");
  if (!root || !cJSON_IsArray(arr) || !cJSON_IsNumber(ver) || ver->valueint != 1) {
    fprintf(stderr,
            "redislint: error: %s: not a redislint baseline (expected {\"version\": 1, "
            "\"findings\": [...]}; write one with --write-baseline)\n",
            path);
    cJSON_Delete(root);
    return -1;
  }
  size_t n = (size_t)cJSON_GetArraySize(arr), k = 0;
  Entry *e = xcalloc(n ? n : 1, sizeof *e);
  cJSON *it;
  cJSON_ArrayForEach(it, arr) {
    cJSON *r = cJSON_GetObjectItemCaseSensitive(it, "rule");
    cJSON *p = cJSON_GetObjectItemCaseSensitive(it, "path");
    cJSON *f = cJSON_GetObjectItemCaseSensitive(it, "fingerprint");
    if (!cJSON_IsString(r) || !cJSON_IsString(p) || !cJSON_IsString(f)) {
      fprintf(stderr, "redislint: error: %s: entry %zu lacks rule, path or fingerprint\n", path,
              k + 1);
      free(e);
      cJSON_Delete(root);
      return -1;
    }
    e[k++] = (Entry){r->valuestring, p->valuestring, f->valuestring, false};
  }
  for (size_t i = 0; i < run->nfiles; i++) {
    FileResult *fr = &run->files[i];
    if (!fr->nfindings) continue;
    char(*fps)[17] = xmalloc(fr->nfindings * sizeof *fps);
    output_fingerprints(fr, fps);
    size_t out = 0;
    for (size_t j = 0; j < fr->nfindings; j++) {
      bool known = false;
      for (size_t b = 0; b < k && !known; b++)
        if (!e[b].used && !strcmp(e[b].fp, fps[j]) && !strcmp(e[b].path, fr->src.path) &&
            !strcmp(e[b].rule, output_code(&fr->findings[j])))
          known = e[b].used = true;
      if (known) st->matched++;
      else fr->findings[out++] = fr->findings[j];
    }
    run->nfindings -= fr->nfindings - out;
    fr->nfindings = out;
    free(fps);
  }
  for (size_t b = 0; b < k; b++) st->fixed += !e[b].used;
  free(e);
  cJSON_Delete(root);
  return 0;
}
