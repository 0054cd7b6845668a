/* cli_opts.h - the command line's one source of truth.
 *
 * The subcommands and every option of `check` (and `calls`, `keys`,
 * `install-hook`) live in one table. From it come the getopt tables, the
 * option part of `--help`, the OPTIONS section of the man page and the
 * bash, zsh and fish completions (`redislint completions SHELL`, also run at
 * build time to write the installed files), so none of them can drift. */
#ifndef RL_CLI_OPTS_H
#define RL_CLI_OPTS_H
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

/* getopt ids of the long-only options (short ones use their letter). */
enum {
  OPT_FORMAT = 1000, OPT_SELECT, OPT_IGNORE, OPT_EXIT_ZERO, OPT_COLOR, OPT_STATS,
  OPT_STDIN_NAME, OPT_PYVER, OPT_CLUSTER, OPT_EXCLUDE, OPT_FORCE_EXCLUDE, OPT_FIX,
  OPT_UNSAFE_FIXES, OPT_DIFF, OPT_SHOW_FIXES, OPT_INCLUDE_SUPPRESSED, OPT_BASELINE,
  OPT_WRITE_BASELINE, OPT_REDIS_CONF, OPT_CONFIG, OPT_ISOLATED, OPT_TARGET_REDIS,
  OPT_NO_PROJECT, OPT_FIX_ONLY, OPT_EXIT_NONZERO_ON_FIX, OPT_EXTEND_SELECT, OPT_DIFF_BASE,
  OPT_UNRESOLVED, OPT_FORCE, OPT_URL, OPT_MATCH, OPT_SAMPLE, OPT_RATE, OPT_SCAN_COUNT,
  OPT_TIMEOUT, OPT_AUDIT_FORMAT, OPT_NO_CACHE
};

/* What an option's value is, for completions. */
typedef enum {
  OPTARG_NONE,   /* a flag */
  OPTARG_FILE,   /* a path */
  OPTARG_RULES,  /* rule codes or slugs */
  OPTARG_CHOICE, /* one of `choices` */
  OPTARG_VALUE,  /* free text (a number, a version) */
  OPTARG_REV,    /* a git revision */
} OptArg;

/* The subcommands an option belongs to (bits). */
enum { IN_CHECK = 1, IN_CALLS = 2, IN_KEYS = 4, IN_CONFIG = 8, IN_HOOK = 16, IN_AUDIT = 32 };

typedef struct CliOpt {
  const char *name;    /* long name, without "--" */
  char short_name;     /* 'o', or 0 */
  int id;              /* getopt's val */
  OptArg arg;
  const char *metavar; /* "FILE", "RULES": for --help and the man page */
  const char *choices; /* OPTARG_CHOICE: space-separated */
  unsigned in;         /* IN_* bits */
  const char *brief;   /* a few words: completions */
  const char *help;    /* one paragraph: --help and the man page */
  const char *more;    /* NULL or more sentences, for the man page only */
} CliOpt;

typedef struct CliCommand {
  const char *name;     /* "check" */
  const char *synopsis; /* "[OPTIONS] [PATH...]" */
  const char *brief;    /* "lint files and directories (default: .)" */
} CliCommand;

extern const CliCommand CLI_COMMANDS[];
extern const size_t CLI_NCOMMANDS;
extern const CliOpt CLI_OPTS[];
extern const size_t CLI_NOPTS;

/* getopt_long's table for a subcommand (IN_* bit), plus --help ('h');
 * `out` holds CLI_NOPTS + 2 entries. */
void cli_opts_getopt(unsigned in, struct option *out);
/* "  --format FORMAT        text (default), ..." wrapped at 80 columns. */
void cli_opts_help(FILE *out, unsigned in);
/* The Usage lines of every subcommand. */
void cli_opts_usage(FILE *out);
/* The man page's OPTIONS entries (troff). */
void cli_opts_man(FILE *out);
/* A completion script: "bash", "zsh" or "fish"; -1 for another shell. */
int cli_opts_completion(FILE *out, const char *shell);
#endif
