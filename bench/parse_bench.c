/* parse_bench.c - raw-parse baseline: read files and parse them with
 * tree-sitter-python, nothing else. bench/run.sh compares redislint with it.
 *
 *   rl-parse-bench [-j N] FILE...
 *   rl-parse-bench [-j N] -        (file list on stdin, one path per line)
 *
 * Prints one line: files=N bytes=B seconds=S. The clock runs from before the
 * first read to after the last parse, so it counts reading and parsing, as
 * redislint's wall time does. Exit status 1 if a file could not be read. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_python(void);

typedef struct Bench {
  char **paths; /* owned */
  size_t npaths;
  atomic_size_t next;   /* index of the next file to take */
  atomic_size_t files;  /* files parsed */
  atomic_size_t bytes;  /* bytes parsed */
  atomic_int failed;    /* a file could not be read */
} Bench;

static void *xalloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) {
    fputs("rl-parse-bench: out of memory\n", stderr);
    exit(2);
  }
  return q;
}

/* Reads a whole file into *buf (malloc'ed, caller owns). Returns 0 or an errno. */
static int read_file(const char *path, char **buf, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return errno;
  size_t cap = 1 << 16, n = 0, got;
  char *b = xalloc(NULL, cap);
  while ((got = fread(b + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) b = xalloc(b, cap *= 2);
  }
  int err = ferror(f) ? (errno ? errno : EIO) : 0;
  fclose(f);
  if (err) {
    free(b);
    return err;
  }
  *buf = b;
  *len = n;
  return 0;
}

static void *worker(void *arg) {
  Bench *b = arg;
  TSParser *parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_python());
  for (;;) {
    size_t i = atomic_fetch_add(&b->next, 1);
    if (i >= b->npaths) break;
    char *text = NULL;
    size_t len = 0;
    int err = read_file(b->paths[i], &text, &len);
    if (err) {
      char msg[256];
      if (strerror_r(err, msg, sizeof msg) != 0) snprintf(msg, sizeof msg, "error %d", err);
      fprintf(stderr, "rl-parse-bench: %s: %s\n", b->paths[i], msg);
      atomic_store(&b->failed, 1);
      continue;
    }
    TSTree *tree = ts_parser_parse_string(parser, NULL, text, (uint32_t)len);
    ts_tree_delete(tree);
    free(text);
    atomic_fetch_add(&b->files, 1);
    atomic_fetch_add(&b->bytes, len);
  }
  ts_parser_delete(parser);
  return NULL;
}

static void add_path(Bench *b, const char *path, size_t len) {
  if ((b->npaths & (b->npaths - 1)) == 0) /* 0 or a power of two: grow */
    b->paths = xalloc(b->paths, (b->npaths ? b->npaths * 2 : 1) * sizeof *b->paths);
  char *p = xalloc(NULL, len + 1);
  memcpy(p, path, len);
  p[len] = '\0';
  b->paths[b->npaths++] = p;
}

static void read_list(Bench *b, FILE *in) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, in)) > 0) {
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
    if (n > 0) add_path(b, line, (size_t)n);
  }
  free(line);
}

static int usage(void) {
  fputs("usage: rl-parse-bench [-j N] FILE...   (FILE '-' reads a list from stdin)\n",
        stderr);
  return 2;
}

/* Parses the arguments into b and *jobs. Returns 0, or 2 on a usage error. */
static int parse_args(int argc, char **argv, Bench *b, long *jobs) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strncmp(a, "-j", 2) == 0) { /* -j N or -jN */
      const char *v = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : "");
      char *end;
      errno = 0;
      *jobs = strtol(v, &end, 10);
      if (errno || end == v || *end || *jobs < 1 || *jobs > 1024) return usage();
    } else if (strcmp(a, "-") == 0) {
      read_list(b, stdin);
    } else if (a[0] == '-') {
      return usage();
    } else {
      add_path(b, a, strlen(a));
    }
  }
  return b->npaths ? 0 : usage();
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  Bench b = {0};
  long jobs = 1;
  int rc = parse_args(argc, argv, &b, &jobs);
  if (rc) goto out;
  TSParser *probe = ts_parser_new();
  if (!ts_parser_set_language(probe, tree_sitter_python())) {
    fputs("rl-parse-bench: grammar ABI not accepted by the tree-sitter runtime\n", stderr);
    ts_parser_delete(probe);
    rc = 2;
    goto out;
  }
  ts_parser_delete(probe);
  pthread_t *threads = xalloc(NULL, (size_t)jobs * sizeof *threads);
  double t0 = now();
  long started = 0;
  for (; started < jobs; started++)
    if (pthread_create(&threads[started], NULL, worker, &b) != 0) break;
  if (started == 0) worker(&b);
  for (long i = 0; i < started; i++) pthread_join(threads[i], NULL);
  double secs = now() - t0;
  free(threads);
  printf("files=%zu bytes=%zu seconds=%.6f\n", atomic_load(&b.files),
         atomic_load(&b.bytes), secs);
  rc = atomic_load(&b.failed) ? 1 : 0;
out:
  for (size_t i = 0; i < b.npaths; i++) free(b.paths[i]);
  free(b.paths);
  return rc;
}
