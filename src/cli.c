/* cli.c - `redislint check|rules|rule`, options, exit codes. */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "cli_opts.h"
#include "diffbase.h"
#include "discover.h"
#include "fixer.h"
#include "fsutil.h"
#include "baseline.h"
#include "config.h"
#include "hook.h"
#include "redisconf.h"
#include "keyspace.h"
#include "lint.h"
#include "model.h"
#include "output.h"
#include "project.h"
#include "server.h"
#include "rule.h"
#include "suggest.h"

#define EXIT_CLEAN 0
#define EXIT_FINDINGS 1
#define EXIT_ERROR 2

typedef struct Cli {
  Options opt;
  OutputOptions out;
  const char *output_path;
  const char *stdin_filename;
  const char *select, *ignore, *extend_select;
  int color; /* -1 auto, 0 never, 1 always */
  const char *exclude[64]; /* --exclude patterns */
  size_t nexclude;
  bool force_exclude;
  bool fix, unsafe_fixes, diff, show_fixes;
  bool fix_only;            /* --fix-only: fix, report nothing that remains */
  bool exit_non_zero_on_fix; /* --exit-non-zero-on-fix */
  FixerStats fixed;
  bool fixing; /* --fix, --fix-only or --diff (--unsafe-fixes alone writes nothing) */
  const char *baseline, *write_baseline;
  const char *diff_base; /* --diff-base REV */
  const char *redis_conf;
  const char *config_path; /* --config */
  bool isolated;           /* --isolated */
  bool no_project;         /* --no-project */
  bool no_cache;           /* --no-cache */
  Config cfg;
  bool exit_zero;
  bool baseline_done;      /* --fix filtered the run by the baseline already */
  BaselineStats bstats;    /* ... and what it found */
  /* audit */
  const char *url, *match;
  AuditScanOptions scan;
  AuditFormat audit_format;
} Cli;

static const char USAGE_TAIL[] =
    "\n"
    "Directories are walked for *.py and *.pyi files, and for *.lua files: a Lua\n"
    "script that calls redis.call is checked as a Redis script (KEYS inside it).\n"
    "\n"
    "On a terminal, a run longer than about a second shows its progress on stderr\n"
    "(never in pipes, with CI set, or TERM=dumb; REDISLINT_PROGRESS_DELAY_MS=1000).\n"
    "\n"
    "Exit status: 0 no findings, 1 findings, 2 usage, configuration or input error.\n";

static const char KEYS_USAGE[] =
    "Usage: redislint keys [--format text|json] [PATH...]\n\n"
    "The keyspace the code uses: every key template (user:{}:name), with its Redis\n"
    "type, the commands that read and write it, whether it gets a TTL, and where.\n\n";

static const char RULES_USAGE[] =
    "Usage: redislint rules\n\n"
    "Lists every rule: code, slug, default severity, fix (safe, unsafe, sometimes\n"
    "safe/unsafe when the edit depends on the code's shape, display = instructions\n"
    "only), whether it is on by default, and its title.\n";

static const char RULE_USAGE[] =
    "Usage: redislint rule CODE|SLUG\n\n"
    "Shows a rule's documentation (what it finds, why it matters, an example, the\n"
    "fix and its safety, options, references), e.g. 'redislint rule RL101'.\n";

static const char HOOK_USAGE[] =
    "Usage: redislint install-hook [--force]\n\n"
    "Installs a git pre-commit hook in the current repository that lints the staged\n"
    "Python files (their staged content, with the rest of the project as context).\n"
    "  --force  replace an existing pre-commit hook\n";

static const char CONFIG_USAGE[] =
    "Usage: redislint config [OPTIONS] [PATH]\n\n"
    "Prints the effective configuration for PATH (default: .) as JSON: the file it\n"
    "came from (redislint.json, .redislint.json or a pyproject.toml's\n"
    "[tool.redislint]), the rules enabled, and every option after the file and the\n"
    "flags. Takes the options of 'check' (--config, --isolated, --select, ...).\n";

static const char COMPLETIONS_USAGE[] =
    "Usage: redislint completions bash|zsh|fish\n\n"
    "Prints the completion script for the shell (the packages install them), e.g.\n"
    "  redislint completions bash > ~/.local/share/bash-completion/completions/redislint\n"
    "  redislint completions zsh > \"${fpath[1]}/_redislint\"\n"
    "  redislint completions fish > ~/.config/fish/completions/redislint.fish\n";

static const char AUDIT_USAGE[] =
    "Usage: redislint audit --url URL [OPTIONS] [PATH...]\n\n"
    "Measures a live Redis: walks the keyspace with SCAN (every primary of a Redis\n"
    "Cluster) and reads each key's TYPE, MEMORY USAGE, OBJECT ENCODING, PTTL and\n"
    "length, pipelined and read-only (never KEYS, never a write). Every key is matched\n"
    "to the key templates of the code in PATH (default .; as 'redislint keys' lists\n"
    "them): per template the keys, bytes (total, p50, p99), encodings, share with a\n"
    "TTL, the biggest keys and the code that writes it; keys no template matches are\n"
    "grouped by prefix. The memory findings of the code (RL101-RL105, RL201, RL203,\n"
    "RL204) get the measured numbers, or \"not seen in the data\".\n\n"
    "Exit status: 0 the whole keyspace was read, 1 the report is partial (a node\n"
    "failed, a command was refused), 2 nothing could be read or a usage error.\n\n";

static const char SERVER_USAGE[] =
    "Usage: redislint server\n\n"
    "A Language Server over stdin/stdout (JSON-RPC with Content-Length headers), for\n"
    "any editor with an LSP client. Each open document is linted with its project\n"
    "(the buffer replaces the file on disk, the rest of the project is read from disk)\n"
    "and its findings are published as diagnostics (code, link to the rule, severity,\n"
    "related locations); fixes are code actions (quick fixes, source.fixAll.redislint\n"
    "for the safe ones), and each finding can be suppressed with a reason.\n"
    "Positions are UTF-16 unless the client offers UTF-8.\n\n"
    "Settings, section \"redislint\" (asked per workspace folder with\n"
    "workspace/configuration and again on didChangeConfiguration; a client that\n"
    "cannot be asked passes them as initializationOptions). They act as the flags of\n"
    "'check' and win over the configuration file as the flags do:\n"
    "  select, ignore, extendSelect  lists of rule codes, prefixes or slugs\n"
    "                                (--select, --ignore, --extend-select)\n"
    "  configFile                    a redislint.json or pyproject.toml, relative to\n"
    "                                the workspace folder (--config)\n"
    "  redisPyVersion                the redis-py version (--redis-py-version)\n"
    "  targetRedisVersion            the Redis server (--target-redis-version)\n"
    "  unsafeFixes                   offer unsafe fixes as quick fixes (default false;\n"
    "                                source.fixAll.redislint applies safe ones only)\n"
    "  enable                        false: no diagnostics (default true)\n"
    "A bad value is a warning naming the setting, which keeps its default.\n\n"
    "An unsaved edit re-lints its own document. A file saved, or changed outside the\n"
    "editor (the server watches **/*.py and the configuration and pin files when the\n"
    "client allows it), re-lints the open documents that import it, directly or\n"
    "through other modules; a configuration or pin file, every open document below\n"
    "it.\n";

/* The Usage lines, check's options (from the option table) and the tail. */
static void print_usage(FILE *out) {
  cli_opts_usage(out);
  fputs("\nOptions for check (and config):\n", out);
  cli_opts_help(out, IN_CHECK);
  fputs(USAGE_TAIL, out);
}

static void usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "redislint: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'redislint --help'.\n");
}

/* " (did you mean 'X'?)" or "": the hint is formatted into buf. */
static const char *hint(char *buf, size_t size, const char *prefix, const char *near) {
  if (!near) return "";
  snprintf(buf, size, " (did you mean '%s%s'?)", prefix, near);
  return buf;
}

/* "unknown option '--selct' (did you mean '--select'?)", from the long
   options of the subcommand. `arg` is the word as typed (with any =VALUE). */
static void unknown_option(const char *arg, const struct option *opts) {
  char word[80], h[128], msg[400];
  const char *w = arg[0] == '-' && arg[1] == '-' ? arg + 2 : arg[0] == '-' ? arg + 1 : arg;
  snprintf(word, sizeof word, "%.*s", (int)strcspn(w, "="), w);
  size_t n = 0;
  while (opts && opts[n].name) n++;
  const char *near = n ? suggest_nearest(word, &opts[0].name, n, sizeof *opts) : NULL;
  snprintf(msg, sizeof msg, "unknown option '%.200s'%s", arg, hint(h, sizeof h, "--", near));
  usage_error("%s", msg);
}

/* The rule code or slug nearest to a mistyped one ("rl3011", "keys-comand"). */
static const char *rule_hint(const char *tok) {
  char up[16];
  size_t k = 0;
  for (; tok[k] && k + 1 < sizeof up; k++) up[k] = (char)toupper((unsigned char)tok[k]);
  up[k] = '\0';
  const char *best = NULL;
  size_t bd = 99;
  for (size_t i = 0; i < rules_count(); i++) {
    const Rule *r = rules_at(i);
    size_t dc = suggest_distance(up, r->code), ds = suggest_distance(tok, r->slug);
    if (dc <= 1 && dc < bd) bd = dc, best = r->code; /* codes are digits: one slip only */
    if (ds < bd) bd = ds, best = r->slug;
  }
  return bd <= 3 && bd < strlen(tok) ? best : NULL; /* the threshold of suggest_nearest */
}

static void unknown_rule(const char *tok) {
  char h[128], msg[320];
  snprintf(msg, sizeof msg, "unknown rule '%.64s'%s (see 'redislint rules')", tok,
           hint(h, sizeof h, "", rule_hint(tok)));
  usage_error("%s", msg);
}

static int default_jobs(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* Applies a comma list of codes, code prefixes ("RL1") or slugs. */
static int apply_rule_list(Options *opt, const char *list, bool value, bool reset) {
  if (!list[strspn(list, ", \t")]) { /* `--select ""` would turn every rule off, silently */
    usage_error("an empty rule list%s: name codes (RL101), prefixes (RL1), slugs or ALL", "");
    return -1;
  }
  if (reset)
    for (size_t i = 0; i < rules_count(); i++) opt->enabled[i] = false;
  char *copy = strdup(list), *save = NULL;
  int rc = 0;
  for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    while (*tok == ' ') tok++;
    size_t len = strlen(tok), hits = 0;
    for (size_t i = 0; i < rules_count(); i++) {
      const Rule *r = rules_at(i);
      if (strcasecmp(tok, "ALL") == 0 || strcmp(tok, r->slug) == 0 ||
          (len >= 2 && strncasecmp(tok, r->code, len) == 0)) {
        opt->enabled[i] = value;
        hits++;
      }
    }
    if (!hits) {
      unknown_rule(tok);
      rc = -1;
    }
  }
  free(copy);
  return rc;
}

static int parse_format(const char *s, OutputFormat *f) {
  /* indexed by OutputFormat */
  static const char *names[] = {"text", "json", "sarif", "github", "gitlab", "rdjson", "junit"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(s, names[i]) == 0) {
      *f = (OutputFormat)i;
      return 0;
    }
  usage_error("unknown format '%s' (text, json, sarif, github, gitlab, rdjson, junit)", s);
  return -1;
}

static int parse_color(const char *s, int *c) {
  if (!strcmp(s, "auto")) *c = -1;
  else if (!strcmp(s, "always")) *c = 1;
  else if (!strcmp(s, "never")) *c = 0;
  else {
    usage_error("unknown --color value '%s' (auto, always, never)", s);
    return -1;
  }
  return 0;
}

static int parse_jobs(const char *s, int *jobs) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || *end || v < 1 || v > 256) {
    usage_error("-j needs a number from 1 to 256, not '%s'", s);
    return -1;
  }
  *jobs = (int)v;
  return 0;
}

static void print_diags(const Diags *d);

/* --redis-py-version 8.0.1 */
static int parse_pyver(const char *s, Options *opt) {
  if (pyver_parse_override(s, &opt->pyver)) {
    usage_error("--redis-py-version needs a version number like 5.0.1 or 8, not '%s'", s);
    return -1;
  }
  static char shown[96];
  snprintf(shown, sizeof shown, "--redis-py-version %.64s", s);
  opt->pyver.source = shown;
  opt->pyver_set = true;
  return 0;
}


/* getopt's table for check and config, from the option table (cli_opts.c) */
static struct option CHECK_OPTS[64];

/* A positive number for an audit option (--sample, --count, --timeout, --rate). */
static int parse_positive(const char *flag, const char *s, double max, double *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || *end || !(v > 0) || v > max) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s needs a positive number up to %.0f, not '%%s'", flag, max);
    usage_error(msg, s);
    return -1;
  }
  *out = v;
  return 0;
}

static int parse_audit_format(const char *s, AuditFormat *f) {
  static const char *const names[] = {"text", "json", "sarif", "html"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (!strcmp(s, names[i])) {
      *f = (AuditFormat)i;
      return 0;
    }
  usage_error("unknown audit format '%s' (text, json, sarif, html)", s);
  return -1;
}

static int parse_check(Cli *cli, int argc, char **argv, unsigned in) {
  _Static_assert(sizeof CHECK_OPTS / sizeof *CHECK_OPTS >= 40, "room for the option table");
  if (CLI_NOPTS + 2 > sizeof CHECK_OPTS / sizeof *CHECK_OPTS) abort(); /* grow CHECK_OPTS */
  cli_opts_getopt(in, CHECK_OPTS);
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":o:j:qh", CHECK_OPTS, NULL)) != -1) {
    int rc = 0;
    switch (c) {
    case OPT_FORMAT: rc = parse_format(optarg, &cli->out.format); break;
    case 'o': cli->output_path = optarg; break;
    case OPT_SELECT: cli->select = optarg; break;
    case OPT_IGNORE: cli->ignore = optarg; break;
    case OPT_EXTEND_SELECT: cli->extend_select = optarg; break;
    case OPT_EXIT_ZERO: cli->exit_zero = true; break;
    case OPT_COLOR: rc = parse_color(optarg, &cli->color); break;
    case 'j': rc = parse_jobs(optarg, &cli->opt.jobs); break;
    case 'q': cli->out.quiet = true; break;
    case OPT_STATS: cli->out.statistics = true; break;
    case OPT_STDIN_NAME: cli->stdin_filename = optarg; break;
    case OPT_PYVER: rc = parse_pyver(optarg, &cli->opt); break;
    case OPT_CLUSTER: cli->opt.cluster = true; break;
    case OPT_EXCLUDE:
      if (cli->nexclude == sizeof cli->exclude / sizeof cli->exclude[0]) {
        usage_error("too many --exclude patterns (at most 64)%s", "");
        return -1;
      }
      cli->exclude[cli->nexclude++] = optarg;
      break;
    case OPT_FORCE_EXCLUDE: cli->force_exclude = true; break;
    case OPT_FIX: cli->fix = true; break;
    case OPT_UNSAFE_FIXES: cli->unsafe_fixes = true; break;
    case OPT_FIX_ONLY: cli->fix_only = true; break;
    case OPT_EXIT_NONZERO_ON_FIX: cli->exit_non_zero_on_fix = true; break;
    case OPT_DIFF: cli->diff = true; break;
    case OPT_SHOW_FIXES: cli->show_fixes = true; break;
    case OPT_INCLUDE_SUPPRESSED: cli->out.include_suppressed = true; break;
    case OPT_BASELINE: cli->baseline = optarg; break;
    case OPT_DIFF_BASE: cli->diff_base = optarg; break;
    case OPT_REDIS_CONF: cli->redis_conf = optarg; break;
    case OPT_CONFIG: cli->config_path = optarg; break;
    case OPT_ISOLATED: cli->isolated = true; break;
    case OPT_NO_PROJECT: cli->no_project = true; break;
    case OPT_NO_CACHE: cli->no_cache = true; break;
    case OPT_TARGET_REDIS:
      if ((cli->opt.target_redis = config_redis_version(optarg)) <= 0) {
        usage_error("--target-redis-version needs a Redis version like 7.2, not '%s'", optarg);
        return -1;
      }
      break;
    case OPT_WRITE_BASELINE: cli->write_baseline = optarg; break;
    case OPT_URL: cli->url = optarg; break;
    case OPT_MATCH: cli->scan.match = optarg; break;
    case OPT_AUDIT_FORMAT: rc = parse_audit_format(optarg, &cli->audit_format); break;
    case OPT_SAMPLE:
    case OPT_RATE:
    case OPT_SCAN_COUNT:
    case OPT_TIMEOUT: {
      double v = 0;
      char flag[48] = "--";
      for (size_t k = 0; k < CLI_NOPTS; k++)
        if (CLI_OPTS[k].id == c) snprintf(flag, sizeof flag, "--%s", CLI_OPTS[k].name);
      rc = parse_positive(flag, optarg, c == OPT_RATE ? 1e9 : 1e12, &v);
      if (c == OPT_SAMPLE) cli->scan.sample = (size_t)v;
      else if (c == OPT_RATE) cli->scan.rate = v;
      else if (c == OPT_SCAN_COUNT) cli->scan.count = (long)(v < 1e9 ? v : 1e9);
      else cli->scan.timeout_ms = (long)(v < 1e9 ? v : 1e9);
      break;
    }
    case 'h': print_usage(stdout); return 1;
    case ':': usage_error("option '%s' needs a value", argv[optind - 1]); return -1;
    default: unknown_option(argv[optind - 1], CHECK_OPTS); return -1;
    }
    if (rc) return -1;
  }
  return 0;
}

/* The configuration file first, then the flags over it. argv[optind..]
 * are the paths (the first one decides where the file search starts). */
static int apply_config(Cli *cli, int argc, char **argv) {
  Diags d = {0};
  int rc = 0;
  config_init(&cli->cfg); /* --isolated: every key absent */
  const char *start = optind < argc ? argv[optind] : NULL;
  if (start && !strcmp(start, "-") && cli->stdin_filename) start = cli->stdin_filename;
  if (!cli->isolated && config_load(&cli->cfg, cli->config_path, start, &d) != 0) rc = -1;
  const Config *c = &cli->cfg;
  Options *o = &cli->opt;
  long *dst[] = {&o->default_ttl, &o->lock_ttl, &o->socket_timeout, &o->block_timeout,
                 &o->th.hash_max_listpack_entries, &o->th.hash_max_listpack_value,
                 &o->th.set_max_intset_entries, &o->th.blob_min_bytes};
  const long src[] = {c->default_ttl, c->lock_ttl, c->socket_timeout, c->block_timeout,
                      c->hash_max_listpack_entries, c->hash_max_listpack_value,
                      c->set_max_intset_entries, c->blob_min_bytes};
  for (size_t i = 0; i < sizeof src / sizeof src[0]; i++)
    if (src[i] >= 0) *dst[i] = src[i];
  if (c->per_field_min_group >= 0) o->th.per_field_min_group = (int)c->per_field_min_group;
  o->test_globs = (const char *const *)c->test_paths;
  o->ntest_globs = c->ntest_paths;
  o->cache_globs = (const char *const *)c->cache_keys;
  o->ncache_globs = c->ncache_keys;
  o->example_globs = (const char *const *)c->example_paths;
  o->nexample_globs = c->nexample_paths;
  o->script_globs = (const char *const *)c->script_paths;
  o->nscript_globs = c->nscript_paths;
  if (c->cluster == 1 && !o->cluster) o->cluster = true;
  if (c->noqa == 1) o->bare_noqa = true;
  if (c->target_redis && !o->target_redis) o->target_redis = c->target_redis;
  if (c->redis_py_version && !o->pyver_set) {
    static char shown[160];
    pyver_parse_override(c->redis_py_version, &o->pyver);
    snprintf(shown, sizeof shown, "%s: redis-py-version %.64s", c->path, c->redis_py_version);
    o->pyver.source = shown;
    o->pyver_set = true;
  }
  for (size_t i = 0; i < c->nexclude && cli->nexclude < sizeof cli->exclude / sizeof *cli->exclude; i++)
    cli->exclude[cli->nexclude++] = c->exclude[i];
  const char *conf = cli->redis_conf ? cli->redis_conf : c->redis_conf;
  if (rc == 0 && conf && redisconf_load(conf, &o->th, &d) != 0) rc = -1;
  print_diags(&d);
  diags_free(&d);
  if (rc) return -1;
  /* rules: the file's select/ignore/extend-select, then the flags' */
  if (c->select && !cli->select && apply_rule_list(o, c->select, true, true)) return -1;
  if (c->extend_select && apply_rule_list(o, c->extend_select, true, false)) return -1;
  if (c->ignore && apply_rule_list(o, c->ignore, false, false)) return -1;
  if (cli->select && apply_rule_list(o, cli->select, true, true)) return -1;
  if (cli->extend_select && apply_rule_list(o, cli->extend_select, true, false)) return -1;
  if (cli->ignore && apply_rule_list(o, cli->ignore, false, false)) return -1;
  return 0;
}

/* per-file-ignores and severity overrides of the configuration. */
static void apply_config_results(const Cli *cli, LintRun *run) {
  const Config *c = &cli->cfg;
  if (!c->npfi && !c->nsev) return;
  run->nfindings = 0;
  for (size_t i = 0; i < run->nfiles; i++) {
    FileResult *fr = &run->files[i];
    size_t out = 0;
    for (size_t k = 0; k < fr->nfindings; k++) {
      Finding *f = &fr->findings[k];
      bool drop = false;
      for (size_t p = 0; p < c->npfi && !drop; p++) {
        const char *glob = c->pfi[p].glob;
        if (!path_excluded(fr->src.path, &glob, 1)) continue;
        Options tmp;
        memset(&tmp, 0, sizeof tmp);
        if (apply_rule_list(&tmp, c->pfi[p].rules, true, false) == 0)
          drop = tmp.enabled[rules_index(f->rule)];
      }
      if (drop) continue;
      for (size_t s = 0; s < c->nsev; s++)
        if (rules_find(c->sev[s].rule) == f->rule) f->severity = c->sev[s].sev;
      fr->findings[out++] = *f;
    }
    fr->nfindings = out;
    run->nfindings += out;
  }
}

static char *read_stdin(size_t *len) {
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap);
  if (!buf) return NULL;
  for (;;) {
    if (n == cap) {
      char *nb = realloc(buf, cap *= 2);
      if (!nb) {
        free(buf);
        return NULL;
      }
      buf = nb;
    }
    size_t r = fread(buf + n, 1, cap - n, stdin);
    n += r;
    if (r == 0) break;
  }
  if (ferror(stdin)) { /* closed, a directory, an I/O error: not an empty file */
    free(buf);
    return NULL;
  }
  *len = n;
  return buf;
}

static void print_diags(const Diags *d) {
  for (size_t i = 0; i < d->len; i++) {
    const Diag *g = &d->items[i];
    const char *lvl = g->level == DIAG_ERROR ? "error" : g->level == DIAG_WARNING ? "warning" : "note";
    if (g->path && g->line) fprintf(stderr, "redislint: %s: %s:%u: %s\n", lvl, g->path, g->line, g->message);
    else if (g->path) fprintf(stderr, "redislint: %s: %s: %s\n", lvl, g->path, g->message);
    else fprintf(stderr, "redislint: %s: %s\n", lvl, g->message);
  }
}

static bool use_color(const Cli *cli, FILE *out) {
  if (cli->color >= 0) return cli->color == 1;
  const char *nc = getenv("NO_COLOR");
  if (nc && *nc) return false;
  const char *term = getenv("TERM");
  if (term && !strcmp(term, "dumb")) return false;
  return out == stdout && isatty(STDOUT_FILENO);
}

/* --show-fixes without --fix: the fixes the findings carry, by applicability. */
static void show_available(const LintRun *run) {
  for (size_t i = 0; i < run->nfiles; i++) {
    const FileResult *fr = &run->files[i];
    for (size_t k = 0; k < fr->nfindings; k++) {
      const Finding *f = &fr->findings[k];
      if (!f->fix.title) continue;
      fprintf(stderr, "%s:%u: %s %s fix: %s\n", fr->src.path,
              source_position(&fr->src, f->start).line, f->rule->code,
              applicability_name(f->fix.applicability), f->fix.title);
    }
  }
}

/* "Applied 3 fixes; 2 findings have safe fixes (--fix), 1 an unsafe one
 * (--unsafe-fixes)", on stderr so that reports stay parseable. */
static void fix_summary(const Cli *cli, const LintRun *run) {
  size_t safe = 0, unsafe = 0;
  for (size_t i = 0; i < run->nfiles; i++)
    for (size_t k = 0; k < run->files[i].nfindings; k++) {
      const Fix *x = &run->files[i].findings[k].fix;
      if (!x->nedits) continue;
      if (x->applicability == FIX_SAFE) safe++;
      else if (x->applicability == FIX_UNSAFE) unsafe++;
    }
  if (!cli->fixing) return; /* plain runs keep stderr for problems only */
  if (cli->fixing)
    fprintf(stderr, "redislint: applied %zu fix%s in %zu file%s", cli->fixed.applied,
            cli->fixed.applied == 1 ? "" : "es", cli->fixed.files_changed,
            cli->fixed.files_changed == 1 ? "" : "s");
  else if (safe || unsafe)
    fprintf(stderr, "redislint:");
  else
    return;
  if (cli->fixed.write_errors)
    fprintf(stderr, "; %zu fix%s in %zu file%s not written (see the errors above)",
            cli->fixed.unwritten, cli->fixed.unwritten == 1 ? "" : "es", cli->fixed.write_errors,
            cli->fixed.write_errors == 1 ? "" : "s");
  if (safe) fprintf(stderr, "%s %zu remaining with a safe fix (--fix)", cli->fixing ? ";" : "", safe);
  if (unsafe && !cli->unsafe_fixes)
    fprintf(stderr, "%s %zu with an unsafe fix (--fix --unsafe-fixes applies them)",
            safe || cli->fixing ? ";" : "", unsafe);
  fputc('\n', stderr);
}

/* The report's stream: stdout, or for -o FILE a buffer that report_close
 * writes over FILE atomically (a full disk or an error keeps the previous
 * report whole). */
typedef struct ReportOut {
  FILE *f;
  char *buf;
  size_t len;
  const char *path;
  bool direct; /* not a regular file: written to as it goes */
} ReportOut;

static void report_open(ReportOut *r, const char *path) {
  memset(r, 0, sizeof *r);
  r->path = path;
  struct stat st;
  if (path && stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    r->direct = true; /* /dev/stderr, a FIFO: written as a stream */
    r->f = fopen(path, "w");
    return;
  }
  r->f = path ? open_memstream(&r->buf, &r->len) : stdout;
}

/* Flushes or writes the report; rc of the writer in, 0 or -1 out (said on
 * stderr). */
static int report_close(ReportOut *r, int rc) {
  if (!r->f) {
    fprintf(stderr, "redislint: error: cannot write %s: %s\n", r->path, strerror(errno));
    return -1;
  }
  if (fflush(r->f) != 0) rc = -1;
  if (r->direct) {
    if (fclose(r->f) != 0) rc = -1;
  } else if (r->path) {
    if (fclose(r->f) != 0) rc = -1;
    if (rc == 0 && fs_write_atomic(r->path, r->buf, r->len) != 0) {
      fprintf(stderr, "redislint: error: cannot write %s: %s; the previous file is unchanged\n",
              r->path, strerror(errno));
      free(r->buf);
      return -1;
    }
    free(r->buf);
  }
  if (rc) fprintf(stderr, "redislint: error: writing the report failed: %s\n", strerror(errno));
  return rc;
}

static int write_report(Cli *cli, const LintRun *run) {
  ReportOut r;
  report_open(&r, cli->output_path);
  if (!r.f) return report_close(&r, -1);
  cli->out.color = use_color(cli, r.path ? NULL : r.f);
  return report_close(&r, output_write(r.f, run, &cli->out));
}

/* The findings the user silenced outside the code, dropped from a run the
 * fixer works on: per-file-ignores and severity overrides, then the
 * baseline's entries (its "no longer found" count comes from the final
 * run, in check_main). */
static void cli_filter(LintRun *run, void *data) {
  Cli *cli = data;
  apply_config_results(cli, run);
  /* the last pass's count of entries no longer found is the one to report */
  if (cli->baseline) cli->baseline_done = baseline_apply(cli->baseline, run, &cli->bstats) == 0;
}

static int collect_paths(int argc, char **argv, FileList *files, Diags *diags, bool *has_stdin) {
  const char *def = ".";
  const char *const *paths = (const char *const *)argv + optind;
  size_t n = (size_t)(argc - optind);
  if (n == 0) {
    paths = &def;
    n = 1;
  }
  for (size_t i = 0; i < n; i++)
    if (!strcmp(paths[i], "-")) *has_stdin = true;
  return discover(paths, n, files, diags);
}

/* Lints the paths argv[optind..] (default "."), stdin for "-"; the walk's
 * diagnostics come first, and all are printed on stderr. -1 when the
 * grammar cannot be used at all. */
/* An editor buffer standing for stdin (redislint server), or NULL. */
static const char *doc_buf;
static size_t doc_len;

static int lint_paths(int argc, char **argv, const Options *opt_in, const char *stdin_name,
                      const Cli *cli, LintRun *run, bool whole_project) {
  char msg[256];
  if (model_init(msg, sizeof msg) != 0) {
    fprintf(stderr, "redislint: error: %s\n", msg);
    return -1;
  }
  FileList files = {0};
  Diags walk = {0};
  bool has_stdin = false;
  collect_paths(argc, argv, &files, &walk, &has_stdin);
  if (cli)
    filelist_exclude(&files, cli->exclude, cli->nexclude, (const char *const *)argv + optind,
                     (size_t)(argc - optind), cli->force_exclude, stdin_name);
  size_t stdin_len = 0;
  char *stdin_buf = NULL;
  if (has_stdin && doc_buf) {
    stdin_buf = xmalloc(doc_len + 1);
    memcpy(stdin_buf, doc_buf, doc_len);
    stdin_len = doc_len;
  } else if (has_stdin) {
    stdin_buf = read_stdin(&stdin_len);
  }
  if (has_stdin && !stdin_buf) {
    fprintf(stderr, "redislint: error: %s: cannot read standard input: %s\n",
            stdin_name ? stdin_name : "-", errno ? strerror(errno) : "read error");
    diags_free(&walk);
    filelist_free(&files);
    return -1;
  }
  /* the rest of the named files' project: read for the index, not reported */
  Options o = *opt_in;
  const Options *opt = &o;
  o.stdin_is_text = doc_buf != NULL; /* an editor's buffer: decoded already */
  Project pj = {0};
  FileList context = {0};
  char *cache_dir = NULL;
  if (whole_project) {
    const char *def = ".";
    const char *const *args = (const char *const *)argv + optind;
    size_t nargs = (size_t)(argc - optind);
    if (!nargs) {
      args = &def;
      nargs = 1;
    }
    project_expand(args, nargs, has_stdin ? stdin_name : NULL, &files,
                   cli ? cli->exclude : NULL, cli ? cli->nexclude : 0, &pj, &context);
    o.project = &pj;
    o.context = &context;
    /* the result cache lives at the project root unless configured elsewhere */
    if (!(cli && cli->no_cache) && pj.nroots == 1) {
      if (cli && cli->cfg.cache_dir) {
        o.cache_dir = cache_dir = xstrdup(cli->cfg.cache_dir);
      } else {
        size_t n = strlen(pj.roots[0]) + sizeof "/.redislint_cache";
        cache_dir = xmalloc(n);
        snprintf(cache_dir, n, "%s/.redislint_cache", pj.roots[0]);
        o.cache_dir = cache_dir;
      }
    }
  }
  lint_run(run, &files, opt, stdin_buf, stdin_len, stdin_name ? stdin_name : "<stdin>");
  if (cli && cli->fixing) {
    /* silenced findings are not fixed: filter first, and on every pass */
    cli_filter(run, (void *)cli);
    FixerOptions fo = {cli->unsafe_fixes ? FIX_UNSAFE : FIX_SAFE, !cli->diff,
                       cli->diff ? stdout : NULL, has_stdin && !cli->diff ? stdout : NULL,
                       cli->show_fixes ? stderr : NULL, cli_filter, (void *)cli};
    fixer_run(run, &files, opt, stdin_buf, stdin_len, stdin_name ? stdin_name : "<stdin>", &fo,
              &((Cli *)cli)->fixed);
  }
  diags_move(&walk, &run->diags);
  run->diags = walk;
  print_diags(&run->diags);
  filelist_free(&files);
  filelist_free(&context);
  project_free(&pj);
  free(cache_dir);
  free(stdin_buf);
  return 0;
}

int cli_lint_document(const char *path, const char *text, size_t len, LintRun *run,
                      bool *quiet_diags) {
  (void)quiet_diags;
  return cli_lint_document_flags(path, text, len, NULL, 0, run);
}

/* ---------------------------------------------------------------- redislint server
 * An editor's settings (workspace/configuration) reach the lint as check's
 * flags, so that they mean what the flags mean and win over the
 * configuration file as the flags do. Each is checked first
 * (cli_check_setting): a bad value becomes a warning naming the setting and
 * is left out, instead of failing every lint of the folder. */

int cli_lint_document_flags(const char *path, const char *text, size_t len,
                            const char *const *flags, size_t nflags, LintRun *run) {
  Cli cli;
  memset(&cli, 0, sizeof cli);
  options_defaults(&cli.opt);
  cli.opt.jobs = default_jobs();
  cli.color = 0;
  /* check FLAGS... --stdin-filename PATH - (getopt may permute: a copy) */
  char **argv = xcalloc(nflags + 5, sizeof *argv);
  int argc = 0;
  argv[argc++] = (char *)"check";
  for (size_t i = 0; i < nflags; i++) argv[argc++] = (char *)flags[i];
  argv[argc++] = (char *)"--stdin-filename";
  argv[argc++] = (char *)path;
  argv[argc++] = (char *)"-";
  int rc = -1;
  if (parse_check(&cli, argc, argv, IN_CHECK) != 0) goto out;
  if (apply_config(&cli, argc, argv) != 0) {
    config_free(&cli.cfg);
    goto out;
  }
  doc_buf = text ? text : "";
  doc_len = len;
  rc = lint_paths(argc, argv, &cli.opt, cli.stdin_filename, &cli, run, true);
  doc_buf = NULL;
  doc_len = 0;
  if (rc == 0) apply_config_results(&cli, run);
  config_free(&cli.cfg);
out:
  free(argv);
  return rc;
}

int cli_check_setting(const char *flag, const char *value, char *why, size_t size) {
  why[0] = '\0';
  if (!strcmp(flag, "--select") || !strcmp(flag, "--ignore") || !strcmp(flag, "--extend-select")) {
    /* each item as apply_rule_list reads it: ALL, a slug, a code or a prefix of one */
    char *copy = xstrdup(value), *save = NULL;
    size_t used = 0, items = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
      while (*tok == ' ') tok++;
      size_t n = strlen(tok), hits = 0;
      items += n > 0;
      for (size_t i = 0; n && i < rules_count(); i++) {
        const Rule *r = rules_at(i);
        hits += !strcasecmp(tok, "ALL") || !strcmp(tok, r->slug) ||
                (n >= 2 && !strncasecmp(tok, r->code, n));
      }
      if (n && !hits && used < size) {
        char h[128];
        int k = snprintf(why + used, size - used, "%sunknown rule '%.64s'%s", used ? "; " : "", tok,
                         hint(h, sizeof h, "", rule_hint(tok)));
        used += k > 0 ? (size_t)k : 0;
      }
    }
    free(copy);
    if (!items) snprintf(why, size, "an empty list of rules");
    return why[0] ? -1 : 0;
  }
  if (!strcmp(flag, "--redis-py-version")) {
    PyVer v;
    memset(&v, 0, sizeof v);
    if (pyver_parse_override(value, &v) == 0) return 0;
    snprintf(why, size, "'%.64s' is not a redis-py version like 5.0.1 or 8", value);
    return -1;
  }
  if (!strcmp(flag, "--target-redis-version")) {
    if (config_redis_version(value) > 0) return 0;
    snprintf(why, size, "'%.64s' is not a Redis version like 7.2", value);
    return -1;
  }
  if (!strcmp(flag, "--config")) {
    Config cfg;
    Diags d = {0};
    int rc = config_load(&cfg, value, NULL, &d);
    if (rc != 0)
      snprintf(why, size, "%s", d.len ? d.items[0].message : "cannot be read");
    config_free(&cfg);
    diags_free(&d);
    return rc;
  }
  snprintf(why, size, "%s is not a setting of the server", flag);
  return -1;
}

/* `redislint config [OPTIONS] [PATH]`: the effective configuration, after
 * the configuration file and the flags, as JSON. */
/* Progress only for a person watching: stderr is a terminal that can redraw
   a line, not a CI log (CI is set by GitHub Actions, GitLab, Travis...), not
   an editor's buffer. */
static bool show_progress(void) {
  const char *ci = getenv("CI"), *term = getenv("TERM");
  return !doc_buf && isatty(STDERR_FILENO) && !(ci && *ci && strcmp(ci, "false") && strcmp(ci, "0")) &&
         !(term && !strcmp(term, "dumb"));
}

static bool wants_help(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return true;
  return false;
}

static int cmd_config(int argc, char **argv) {
  if (wants_help(argc, argv)) {
    fputs(CONFIG_USAGE, stdout);
    return EXIT_CLEAN;
  }
  Cli cli;
  memset(&cli, 0, sizeof cli);
  options_defaults(&cli.opt);
  int prc = parse_check(&cli, argc, argv, IN_CHECK);
  if (prc) return prc > 0 ? EXIT_CLEAN : EXIT_ERROR;
  int rc = apply_config(&cli, argc, argv) == 0 ? EXIT_CLEAN : EXIT_ERROR;
  if (rc == EXIT_CLEAN) config_print(stdout, &cli.cfg, &cli.opt);
  config_free(&cli.cfg);
  return rc;
}

/* `check`; *owned receives an argv this function allocated (freed by cmd_check). */
static int check_main(int argc, char **argv, char ***owned) {
  Cli cli;
  memset(&cli, 0, sizeof cli);
  options_defaults(&cli.opt);
  cli.opt.jobs = default_jobs();
  cli.color = -1;
  int prc = parse_check(&cli, argc, argv, IN_CHECK);
  if (prc) return prc > 0 ? EXIT_CLEAN : EXIT_ERROR;
  if (apply_config(&cli, argc, argv) != 0) {
    config_free(&cli.cfg);
    return EXIT_ERROR;
  }
  if (cli.diff_base && (cli.fix || cli.fix_only || cli.diff)) {
    usage_error("--diff-base reports findings; it does not limit %s (run them without it)",
                "--fix, --fix-only or --diff");
    config_free(&cli.cfg);
    return EXIT_ERROR;
  }
  ChangedLines *changed = NULL;
  if (cli.diff_base) {
    char err[512];
    if (!(changed = diffbase_load(cli.diff_base, err, sizeof err))) {
      fprintf(stderr, "redislint: error: %s\n", err);
      config_free(&cli.cfg);
      return EXIT_ERROR;
    }
  }
  /* as ruff: --unsafe-fixes alone shows the unsafe fixes as available and
     writes nothing; with --fix (or --fix-only, --diff) they are applied */
  cli.fixing = cli.fix || cli.fix_only || cli.diff;
  /* `--stdin-filename NAME` with no path reads stdin, as ruff does (it used
     to lint `.`): the paths become "-" */
  char **stdin_argv = NULL;
  if (cli.stdin_filename && optind == argc) {
    stdin_argv = xcalloc((size_t)argc + 2, sizeof *stdin_argv);
    memcpy(stdin_argv, argv, (size_t)argc * sizeof *argv);
    stdin_argv[argc++] = (char *)"-";
    argv = stdin_argv;
    *owned = stdin_argv;
  }
  cli.out.unsafe_fixes = cli.unsafe_fixes;
  if (show_progress()) cli.opt.progress = stderr;
  LintRun run;
  if (lint_paths(argc, argv, &cli.opt, cli.stdin_filename, &cli, &run, !cli.no_project) != 0) {
    diffbase_free(changed);
    config_free(&cli.cfg);
    return EXIT_ERROR;
  }
  apply_config_results(&cli, &run);
  if (changed) {
    bool from_stdin = false;
    for (int i = optind; i < argc; i++) from_stdin |= !strcmp(argv[i], "-");
    size_t dropped =
        diffbase_filter(changed, &run, from_stdin ? (cli.stdin_filename ? cli.stdin_filename : "<stdin>") : NULL);
    fprintf(stderr, "redislint: --diff-base: %zu finding%s on lines unchanged since %s not reported\n",
            dropped, dropped == 1 ? "" : "s", diffbase_commit(changed));
    diffbase_free(changed);
    changed = NULL;
  }
  if (cli.write_baseline) {
    int brc = baseline_write(cli.write_baseline, &run);
    if (!brc)
      fprintf(stderr, "redislint: recorded %zu finding%s in %s\n", run.nfindings,
              run.nfindings == 1 ? "" : "s", cli.write_baseline);
    int code = brc || diags_has_errors(&run.diags) ? EXIT_ERROR : EXIT_CLEAN;
    lint_run_free(&run);
    config_free(&cli.cfg);
    return code;
  }
  if (cli.baseline) {
    BaselineStats bs = cli.bstats; /* --fix applied it already, on every pass */
    if (!cli.baseline_done && baseline_apply(cli.baseline, &run, &bs) != 0) {
      lint_run_free(&run);
      config_free(&cli.cfg);
      return EXIT_ERROR;
    }
    if (bs.fixed)
      fprintf(stderr,
              "redislint: %zu baseline entr%s no longer found (fixed or moved): run "
              "--write-baseline %s to prune\n",
              bs.fixed, bs.fixed == 1 ? "y is" : "ies are", cli.baseline);
  }
  int wrc = 0;
  bool has_stdin = false;
  for (int i = optind; i < argc; i++) has_stdin |= !strcmp(argv[i], "-");
  if (cli.diff) {
    /* the diff is the output; what remains goes to stderr as a summary */
    fprintf(stderr, "redislint: %zu fix%s would change %zu file%s\n", cli.fixed.applied,
            cli.fixed.applied == 1 ? "" : "es", cli.fixed.files_changed,
            cli.fixed.files_changed == 1 ? "" : "s");
  } else {
    if (cli.fixing && has_stdin && !cli.output_path) { /* stdout holds the fixed source */
      cli.out.quiet = true;
      cli.output_path = "/dev/stderr";
    }
    if (!cli.fix_only) wrc = write_report(&cli, &run);
    if (cli.show_fixes && !cli.fixing) show_available(&run);
    fix_summary(&cli, &run);
  }
  int code = diags_has_errors(&run.diags) || wrc ? EXIT_ERROR
             : cli.diff                         ? (cli.fixed.files_changed ? EXIT_FINDINGS : EXIT_CLEAN)
             : cli.exit_non_zero_on_fix && cli.fixed.applied ? EXIT_FINDINGS
             : cli.fix_only                     ? EXIT_CLEAN
             : run.nfindings && !cli.exit_zero  ? EXIT_FINDINGS
                                                : EXIT_CLEAN;
  lint_run_free(&run);
  config_free(&cli.cfg);
  return code;
}

static int cmd_check(int argc, char **argv) {
  char **owned = NULL;
  int rc = check_main(argc, argv, &owned);
  free(owned);
  return rc;
}

/* redislint calls: every call site the model proved to be a Redis command
 * (kind `client`, `pipeline`, ...) or inferred from use (`inferred-client`);
 * with --unresolved, the receivers of Redis-only methods it could not prove. */
/* redislint audit: the live keyspace (audit_scan) against the code's key
 * templates and findings (a lint run of PATH), written by audit_report. */
static int cmd_audit(int argc, char **argv) {
  if (wants_help(argc, argv)) {
    fputs(AUDIT_USAGE, stdout);
    cli_opts_help(stdout, IN_AUDIT);
    return EXIT_CLEAN;
  }
  Cli cli;
  memset(&cli, 0, sizeof cli);
  options_defaults(&cli.opt);
  cli.opt.jobs = default_jobs();
  cli.scan.count = 1000;
  cli.scan.timeout_ms = 5000;
  if (parse_check(&cli, argc, argv, IN_AUDIT) != 0) return EXIT_ERROR;
  if (!cli.url) {
    usage_error("%s", "audit needs --url redis://HOST:PORT/DB (or unix:///path)");
    return EXIT_ERROR;
  }
  RedisUrl url;
  char err[512], shown[512];
  if (redis_url_parse(cli.url, &url, err, sizeof err) != 0) {
    usage_error("--url: %s", err);
    return EXIT_ERROR;
  }
  if (apply_config(&cli, argc, argv) != 0) {
    redis_url_free(&url);
    config_free(&cli.cfg);
    return EXIT_ERROR;
  }
  if (show_progress()) cli.opt.progress = cli.scan.progress = stderr;
  LintRun run;
  if (lint_paths(argc, argv, &cli.opt, NULL, &cli, &run, !cli.no_project) != 0) {
    redis_url_free(&url);
    config_free(&cli.cfg);
    return EXIT_ERROR;
  }
  apply_config_results(&cli, &run);
  AuditResult res;
  memset(&res, 0, sizeof res);
  redis_url_display(&url, shown, sizeof shown);
  int code = EXIT_CLEAN;
  if (audit_scan(&url, &cli.scan, &res) != 0) {
    fprintf(stderr, "redislint: error: %s: %s\n", shown, res.error ? res.error : "cannot read");
    code = EXIT_ERROR;
  } else {
    bool partial = res.nwarnings > 0;
    for (size_t i = 0; i < res.nwarnings; i++)
      fprintf(stderr, "redislint: warning: %s\n", res.warnings[i]);
    for (size_t i = 0; i < res.nnodes; i++)
      if (res.nodes[i].error) {
        fprintf(stderr, "redislint: warning: %s: %s\n", res.nodes[i].addr, res.nodes[i].error);
        partial = true;
      }
    ReportOut out;
    report_open(&out, cli.output_path);
    int wrc = out.f ? audit_report(out.f, cli.audit_format, &res, &run, shown, &cli.opt.th) : -1;
    wrc = report_close(&out, wrc);
    code = wrc ? EXIT_ERROR : partial ? EXIT_FINDINGS : EXIT_CLEAN;
  }
  audit_result_free(&res);
  lint_run_free(&run);
  redis_url_free(&url);
  config_free(&cli.cfg);
  return code;
}

static int cmd_calls(int argc, char **argv) {
  Options opt;
  options_defaults(&opt);
  opt.jobs = default_jobs();
  opt.list_calls = true;
  bool no_project = false;
  for (size_t i = 0; i < rules_count(); i++) opt.enabled[i] = false;
  static struct option OPTS[64];
  cli_opts_getopt(IN_CALLS, OPTS);
  optind = 1;
  opterr = 0;
  for (int c; (c = getopt_long(argc, argv, ":j:h", OPTS, NULL)) != -1;) {
    switch (c) {
    case OPT_UNRESOLVED: opt.list_unresolved = true; break;
    case OPT_NO_PROJECT: no_project = true; break;
    case OPT_NO_CACHE: break; /* accepted as for check: calls never reads the result cache */
    case 'j':
      if (parse_jobs(optarg, &opt.jobs)) return EXIT_ERROR;
      break;
    case 'h':
      printf("Usage: redislint calls [OPTIONS] [PATH...]\n\n"
             "Lists every Redis call site: path:line:col, receiver kind (client, async-client,\n"
             "cluster, pipeline, transaction; inferred-* when the client is known only from\n"
             "the commands the code calls on it), receiver.method, command, key template.\n\n");
      cli_opts_help(stdout, IN_CALLS);
      return EXIT_CLEAN;
    case ':': usage_error("option '%s' needs a value", argv[optind - 1]); return EXIT_ERROR;
    default: unknown_option(argv[optind - 1], OPTS); return EXIT_ERROR;
    }
  }
  LintRun run;
  if (lint_paths(argc, argv, &opt, NULL, NULL, &run, !no_project) != 0) return EXIT_ERROR;
  size_t total = 0;
  for (size_t i = 0; i < run.nfiles; i++) {
    const FileResult *fr = &run.files[i];
    size_t n = opt.list_unresolved ? fr->nunresolved : fr->ncalls;
    for (size_t k = 0; k < n; k++, total++)
      printf("%s:%s\n", fr->src.path, opt.list_unresolved ? fr->unresolved[k] : fr->calls[k]);
  }
  if (opt.list_unresolved)
    fprintf(stderr, "%zu receivers of Redis-only methods not proven in %zu files\n", total,
            run.nfiles);
  else
    fprintf(stderr, "%zu Redis call sites in %zu files\n", total, run.nfiles);
  int code = diags_has_errors(&run.diags) ? EXIT_ERROR : EXIT_CLEAN;
  lint_run_free(&run);
  return code;
}

/* redislint keys: one row per key template of the project. */
static int cmd_keys(int argc, char **argv) {
  Options opt;
  options_defaults(&opt);
  opt.jobs = default_jobs();
  for (size_t i = 0; i < rules_count(); i++) opt.enabled[i] = false;
  OutputFormat fmt = FORMAT_TEXT;
  static struct option OPTS[64];
  cli_opts_getopt(IN_KEYS, OPTS);
  optind = 1;
  opterr = 0;
  for (int c; (c = getopt_long(argc, argv, ":j:h", OPTS, NULL)) != -1;) {
    if (c == OPT_FORMAT) {
      if (parse_format(optarg, &fmt)) return EXIT_ERROR;
      if (fmt == FORMAT_TEXT || fmt == FORMAT_JSON) continue;
      usage_error("'keys' writes text or json, not '%s'", optarg);
      return EXIT_ERROR;
    }
    if (c == OPT_NO_CACHE) continue; /* accepted as for check: keys never reads the cache */
    if (c == 'j') {
      if (parse_jobs(optarg, &opt.jobs)) return EXIT_ERROR;
      continue;
    }
    if (c == 'h') {
      fputs(KEYS_USAGE, stdout);
      cli_opts_help(stdout, IN_KEYS);
      return EXIT_CLEAN;
    }
    if (c == ':') usage_error("option '%s' needs a value", argv[optind - 1]);
    else unknown_option(argv[optind - 1], OPTS);
    return EXIT_ERROR;
  }
  LintRun run;
  if (lint_paths(argc, argv, &opt, NULL, NULL, &run, true) != 0) return EXIT_ERROR;
  int wrc = keyspace_write(stdout, &run, fmt == FORMAT_JSON);
  int code = diags_has_errors(&run.diags) || wrc ? EXIT_ERROR : EXIT_CLEAN;
  lint_run_free(&run);
  return code;
}

static int cmd_rules(void) {
  printf("%-6s  %-30s  %-8s  %-16s  %-7s  %s\n", "CODE", "SLUG", "SEVERITY", "FIX", "DEFAULT",
         "TITLE");
  for (size_t i = 0; i < rules_count(); i++) {
    const Rule *r = rules_at(i);
    /* "sometimes safe": the fix is written only where the code's shape allows */
    bool edits = r->fix == FIX_SAFE || r->fix == FIX_UNSAFE;
    char fix[32];
    snprintf(fix, sizeof fix, "%s%s", edits && !r->fix_always ? "sometimes " : "",
             applicability_name(r->fix));
    printf("%-6s  %-30s  %-8s  %-16s  %-7s  %s\n", r->code, r->slug, severity_name(r->severity),
           fix, r->default_enabled ? "on" : "off", r->title);
  }
  return EXIT_CLEAN;
}

static int cmd_rule(int argc, char **argv) {
  if (wants_help(argc - 1, argv + 1)) {
    fputs(RULE_USAGE, stdout);
    return EXIT_CLEAN;
  }
  if (argc < 3) {
    usage_error("%s", "'rule' needs a rule code or slug, e.g. 'redislint rule RL101'");
    return EXIT_ERROR;
  }
  const Rule *r = rules_find(argv[2]);
  if (!r) {
    unknown_rule(argv[2]);
    return EXIT_ERROR;
  }
  const char *doc = rule_doc(r);
  if (doc) fputs(doc, stdout);
  else printf("%s %s: %s\n", r->code, r->slug, r->title);
  return EXIT_CLEAN;
}

int cli_main(int argc, char **argv) {
  if (argc < 2) {
    print_usage(stderr);
    return EXIT_ERROR;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
    printf("redislint %s\n", REDISLINT_VERSION);
    return EXIT_CLEAN;
  }
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    print_usage(stdout);
    return EXIT_CLEAN;
  }
  if (!strcmp(cmd, "check")) return cmd_check(argc - 1, argv + 1);
  if (!strcmp(cmd, "rules")) {
    if (wants_help(argc - 1, argv + 1)) {
      fputs(RULES_USAGE, stdout);
      return EXIT_CLEAN;
    }
    if (argc > 2) {
      unknown_option(argv[2], NULL);
      return EXIT_ERROR;
    }
    return cmd_rules();
  }
  if (!strcmp(cmd, "calls")) return cmd_calls(argc - 1, argv + 1);
  if (!strcmp(cmd, "keys")) return cmd_keys(argc - 1, argv + 1);
  if (!strcmp(cmd, "audit")) return cmd_audit(argc - 1, argv + 1);
  if (!strcmp(cmd, "rule")) return cmd_rule(argc, argv);
  if (!strcmp(cmd, "config")) return cmd_config(argc - 1, argv + 1);
  if (!strcmp(cmd, "server")) {
    if (argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
      fputs(SERVER_USAGE, stdout);
      return EXIT_CLEAN;
    }
    if (argc > 2) {
      usage_error("server takes no arguments, not '%s' (it speaks LSP on stdin/stdout)", argv[2]);
      return EXIT_ERROR;
    }
    return server_main(stdin, stdout);
  }
  if (!strcmp(cmd, "completions")) {
    if (wants_help(argc - 1, argv + 1) || argc != 3) {
      fputs(COMPLETIONS_USAGE, argc == 3 ? stdout : stderr);
      return argc == 3 ? EXIT_CLEAN : EXIT_ERROR;
    }
    if (cli_opts_completion(stdout, argv[2]) != 0) {
      usage_error("no completions for the shell '%s' (bash, zsh, fish)", argv[2]);
      return EXIT_ERROR;
    }
    return fflush(stdout) == 0 ? EXIT_CLEAN : EXIT_ERROR;
  }
  if (!strcmp(cmd, "__man-options")) { /* the build writes the man page's OPTIONS with it */
    cli_opts_man(stdout);
    return fflush(stdout) == 0 ? EXIT_CLEAN : EXIT_ERROR;
  }
  if (!strcmp(cmd, "install-hook")) {
    if (wants_help(argc - 1, argv + 1)) {
      fputs(HOOK_USAGE, stdout);
      return EXIT_CLEAN;
    }
    bool force = argc > 2 && !strcmp(argv[2], "--force");
    if (argc > 2 + force) {
      usage_error("install-hook takes only --force, not '%s'", argv[2 + force]);
      return EXIT_ERROR;
    }
    return hook_install(force);
  }
  char h[128], msg[400];
  const char *near = cmd[0] == '-' ? NULL
                     : suggest_nearest(cmd, &CLI_COMMANDS[0].name, CLI_NCOMMANDS,
                                       sizeof *CLI_COMMANDS);
  if (cmd[0] == '-') {
    static const struct option TOP[] = {{"help", 0, NULL, 0}, {"version", 0, NULL, 0},
                                        {NULL, 0, NULL, 0}};
    unknown_option(cmd, TOP);
    return EXIT_ERROR;
  }
  snprintf(msg, sizeof msg,
           "unknown command '%.64s'%s (check, calls, keys, audit, rules, rule, config, "
           "install-hook, server, completions)",
           cmd, hint(h, sizeof h, "", near));
  usage_error("%s", msg);
  return EXIT_ERROR;
}
