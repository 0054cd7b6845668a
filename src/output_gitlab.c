/* output_gitlab.c - GitLab Code Quality report (the `codequality` artifact of
 * a merge request): a JSON array, one object per finding:
 *
 *   {"description": "RL101 per-field-keys: message", "check_name": "RL101",
 *    "fingerprint": "...", "severity": "major",
 *    "location": {"path": "app/cache.py", "lines": {"begin": 12, "end": 14}}}
 *
 * Severities map error -> critical, warning -> major, info -> info. The
 * fingerprint is the one SARIF carries (stable across unrelated edits), so
 * GitLab tracks a finding across commits. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "arena.h"
#include "output.h"
#include "output_internal.h"

static const char *gitlab_severity(Severity s) {
  switch (s) {
  case SEV_ERROR: return "critical";
  case SEV_WARNING: return "major";
  default: return "info";
  }
}

int output_gitlab(FILE *out, const LintRun *run, const OutputOptions *oo) {
  (void)oo;
  cJSON *root = cJSON_CreateArray();
  for (size_t i = 0; i < run->nfiles; i++) {
    const FileResult *fr = &run->files[i];
    if (!fr->nfindings) continue;
    char(*fps)[17] = xmalloc(fr->nfindings * sizeof *fps);
    output_fingerprints(fr, fps);
    for (size_t k = 0; k < fr->nfindings; k++) {
      const Finding *f = &fr->findings[k];
      cJSON *o = cJSON_CreateObject();
      char *desc = NULL;
      size_t n = 0;
      FILE *m = open_memstream(&desc, &n);
      if (m) {
        fprintf(m, "%s %s: %s", output_code(f), output_slug(f), f->message);
        if (output_has_fix(&f->fix)) fprintf(m, " (fix: %s)", f->fix.title);
        fclose(m);
      }
      cJSON_AddStringToObject(o, "description", desc ? desc : f->message);
      free(desc);
      cJSON_AddStringToObject(o, "check_name", output_code(f));
      cJSON_AddStringToObject(o, "fingerprint", fps[k]);
      cJSON_AddStringToObject(o, "severity", gitlab_severity(f->severity));
      cJSON *loc = cJSON_AddObjectToObject(o, "location");
      cJSON_AddStringToObject(loc, "path", fr->src.path);
      cJSON *lines = cJSON_AddObjectToObject(loc, "lines");
      cJSON_AddNumberToObject(lines, "begin", source_position(&fr->src, f->start).line);
      cJSON_AddNumberToObject(lines, "end",
                              source_position(&fr->src, f->end < f->start ? f->start : f->end).line);
      cJSON_AddItemToArray(root, o);
    }
    free(fps);
  }
  int rc = output_print_json(out, root);
  cJSON_Delete(root);
  return rc;
}
