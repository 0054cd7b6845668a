/* cli_opts.c - the option table and what is generated from it (cli_opts.h). */
#include "cli_opts.h"

#include <string.h>

const CliCommand CLI_COMMANDS[] = {
    {"check", "[OPTIONS] [PATH...]", "lint files and directories (default: .)"},
    {"calls", "[--unresolved] [--no-project] [PATH...]", "list the Redis commands the code sends"},
    {"keys", "[--format text|json] [PATH...]", "the keyspace the code uses"},
    {"rules", "", "list all rules"},
    {"rule", "CODE|SLUG", "show a rule's documentation"},
    {"install-hook", "[--force]", "git pre-commit hook linting staged files"},
    {"config", "[OPTIONS] [PATH]", "the effective configuration (JSON)"},
    {"server", "", "a Language Server (LSP over stdio) for editors"},
    {"audit", "--url URL [OPTIONS] [PATH...]", "measure the live keyspace per key template"},
    {"completions", "bash|zsh|fish", "a shell completion script"},
};
const size_t CLI_NCOMMANDS = sizeof CLI_COMMANDS / sizeof *CLI_COMMANDS;

#define CK (IN_CHECK | IN_CONFIG) /* `config` takes check's options */

const CliOpt CLI_OPTS[] = {
    {"format", 0, OPT_FORMAT, OPTARG_CHOICE, "FORMAT", "text json sarif github gitlab rdjson junit",
     CK | IN_KEYS, "output format",
     "text (default), json, sarif, github, gitlab (Code Quality), rdjson (reviewdog) or junit "
     "(JUnit XML); keys writes text or json",
     "SARIF 2.1.0 is for code scanning (the security rules carry a security-severity); github "
     "prints workflow annotations; rdjson gives review comments with fixes as suggested changes; "
     "junit has a test case per file and a failure per finding."},
    {"output", 'o', 'o', OPTARG_FILE, "FILE", NULL, CK | IN_AUDIT, "write the report to a file",
     "write the report to FILE instead of stdout", NULL},
    {"select", 0, OPT_SELECT, OPTARG_RULES, "RULES", NULL, CK, "only these rules",
     "only these rules (comma-separated codes, code prefixes or slugs; ALL)",
     "For example RL101, RL1, per-field-keys."},
    {"extend-select", 0, OPT_EXTEND_SELECT, OPTARG_RULES, "RULES", NULL, CK,
     "rules on top of the selection",
     "these rules on top of the selected ones (the configuration's or the default; e.g. opt-in "
     "rules)",
     NULL},
    {"ignore", 0, OPT_IGNORE, OPTARG_RULES, "RULES", NULL, CK, "skip these rules", "skip these rules",
     NULL},
    {"exit-zero", 0, OPT_EXIT_ZERO, OPTARG_NONE, NULL, NULL, CK, "exit 0 even with findings",
     "exit 0 even when there are findings", NULL},
    {"color", 0, OPT_COLOR, OPTARG_CHOICE, "WHEN", "auto always never", CK, "colour",
     "auto (default), always or never; NO_COLOR disables auto", NULL},
    {"jobs", 'j', 'j', OPTARG_VALUE, "N", NULL, CK | IN_CALLS | IN_KEYS | IN_AUDIT, "worker threads",
     "worker threads (default: number of CPUs); the output does not depend on N", NULL},
    {"quiet", 'q', 'q', OPTARG_NONE, NULL, NULL, CK, "one line per finding",
     "text: one line per finding, no code frames or summary", NULL},
    {"statistics", 0, OPT_STATS, OPTARG_NONE, NULL, NULL, CK, "count findings per rule",
     "text: count findings per rule, with the severities reported and how many --fix would fix",
     NULL},
    {"stdin-filename", 0, OPT_STDIN_NAME, OPTARG_FILE, "NAME", NULL, CK,
     "name of the file read from stdin",
     "the path the source read from stdin stands for (PATH '-', or no PATH)",
     "The buffer replaces that file of its project (an editor's unsaved buffer); its directory "
     "decides the configuration and the dependency pins."},
    {"redis-py-version", 0, OPT_PYVER, OPTARG_VALUE, "V", NULL, CK, "redis-py version of the code",
     "the redis-py version the code runs with (default: the pin found in uv.lock, poetry.lock, "
     "pdm.lock, Pipfile.lock, pyproject.toml, setup.cfg, setup.py, Pipfile or requirements*.txt)",
     NULL},
    {"fix", 0, OPT_FIX, OPTARG_NONE, NULL, NULL, CK, "apply safe fixes",
     "apply safe fixes to the files",
     "Files are written atomically; read-only files and files changed during the run are never "
     "written."},
    {"unsafe-fixes", 0, OPT_UNSAFE_FIXES, OPTARG_NONE, NULL, NULL, CK,
     "count unsafe fixes as fixable; apply them with --fix",
     "count unsafe fixes as fixable ([*]); with --fix, --fix-only or --diff apply them too (alone "
     "it writes nothing)",
     NULL},
    {"fix-only", 0, OPT_FIX_ONLY, OPTARG_NONE, NULL, NULL, CK,
     "apply fixes, report nothing that remains",
     "apply fixes and report nothing that remains (exit 0 unless --exit-non-zero-on-fix)", NULL},
    {"exit-non-zero-on-fix", 0, OPT_EXIT_NONZERO_ON_FIX, OPTARG_NONE, NULL, NULL, CK,
     "exit 1 when fixes were applied",
     "exit 1 when fixes were applied, even if no finding remains", NULL},
    {"diff", 0, OPT_DIFF, OPTARG_NONE, NULL, NULL, CK, "print the diff of the fixes",
     "print a unified diff of the fixes instead of writing them (exit 1 when there is something "
     "to change)",
     NULL},
    {"show-fixes", 0, OPT_SHOW_FIXES, OPTARG_NONE, NULL, NULL, CK, "list the fixes",
     "list the fixes applied (with --fix) or available", NULL},
    {"config", 0, OPT_CONFIG, OPTARG_FILE, "FILE", NULL, CK | IN_AUDIT, "the configuration file to use",
     "read the configuration from FILE (default: the nearest redislint.json, .redislint.json or "
     "pyproject.toml with a [tool.redislint] table above the first path)",
     "A .toml FILE is read for its [tool.redislint] table."},
    {"isolated", 0, OPT_ISOLATED, OPTARG_NONE, NULL, NULL, CK | IN_AUDIT, "ignore configuration files",
     "ignore configuration files", NULL},
    {"no-project", 0, OPT_NO_PROJECT, OPTARG_NONE, NULL, NULL, CK | IN_CALLS | IN_AUDIT,
     "read only the named paths, not the rest of their project",
     "read only the paths named: by default, when they are part of a project (the nearest "
     "directory above them with redislint.json, pyproject.toml, setup.py, setup.cfg or .git, else "
     "the directory holding the outermost package), the rest of it is read too, so that clients "
     "built in another module are known; findings are reported for the named paths only",
     "A file gets the same findings alone as in a run on its whole project. The root is never / "
     "or $HOME."},
    {"no-cache", 0, OPT_NO_CACHE, OPTARG_NONE, NULL, NULL, CK | IN_AUDIT | IN_CALLS | IN_KEYS,
     "do not read or write the result cache",
     "do not read or write the result cache (.redislint_cache at the project root, or the "
     "configuration's cache-dir), which spares unchanged files the parse and the rules",
     NULL},
    {"target-redis-version", 0, OPT_TARGET_REDIS, OPTARG_VALUE, "V", NULL, CK,
     "the Redis server the code runs against",
     "the Redis server the code runs against (7.2, 6.0): no advice that needs a newer server "
     "(default: a current one)",
     NULL},
    {"redis-conf", 0, OPT_REDIS_CONF, OPTARG_FILE, "FILE", NULL, CK | IN_AUDIT,
     "thresholds from redis.conf",
     "take the encoding thresholds from the server's redis.conf", NULL},
    {"write-baseline", 0, OPT_WRITE_BASELINE, OPTARG_FILE, "FILE", NULL, CK, "record the findings",
     "record the current findings in FILE (and exit 0)", NULL},
    {"baseline", 0, OPT_BASELINE, OPTARG_FILE, "FILE", NULL, CK, "report only new findings",
     "report only findings that FILE does not record", NULL},
    {"diff-base", 0, OPT_DIFF_BASE, OPTARG_REV, "REV", NULL, CK,
     "only findings on lines changed since REV",
     "report only findings on lines added or changed since the merge-base of REV and HEAD "
     "(working tree included), e.g. --diff-base origin/main in a pull request",
     "Commits, staged and unstaged edits and untracked files count; renames are followed."},
    {"include-suppressed", 0, OPT_INCLUDE_SUPPRESSED, OPTARG_NONE, NULL, NULL, CK,
     "SARIF: suppressed findings too", "sarif: also the findings suppression comments silence",
     NULL},
    {"exclude", 0, OPT_EXCLUDE, OPTARG_FILE, "PATTERN", NULL, CK | IN_AUDIT, "skip matching paths",
     "skip files and directories matching the glob (repeatable)", NULL},
    {"force-exclude", 0, OPT_FORCE_EXCLUDE, OPTARG_NONE, NULL, NULL, CK, "exclude named files too",
     "apply --exclude to files named on the command line too (for pre-commit)", NULL},
    {"cluster", 0, OPT_CLUSTER, OPTARG_NONE, NULL, NULL, CK, "the code runs against Redis Cluster",
     "the code runs against Redis Cluster (default: when the linted code constructs a "
     "RedisCluster client)",
     NULL},
    {"unresolved", 0, OPT_UNRESOLVED, OPTARG_NONE, NULL, NULL, IN_CALLS,
     "receivers of Redis-only methods the model could not prove",
     "calls: instead, the receivers that get methods only a Redis client has but that are not "
     "proven (path:line:col, receiver, calls, methods, inferred|unresolved, and where the chain "
     "to a client broke)",
     NULL},
    {"force", 0, OPT_FORCE, OPTARG_NONE, NULL, NULL, IN_HOOK, "replace an existing hook",
     "install-hook: replace an existing pre-commit hook", NULL},
    {"url", 0, OPT_URL, OPTARG_VALUE, "URL", NULL, IN_AUDIT, "the server to audit",
     "the server: redis://[user[:password]@]host[:port][/db], rediss://... (TLS), or "
     "unix:///path/redis.sock (password also from REDISLINT_REDIS_PASSWORD; never printed); a "
     "cluster node audits every primary",
     "rediss:// takes redis-py's ssl_cert_reqs=none|optional|required, ssl_ca_certs=PATH, "
     "ssl_certfile=PATH, ssl_keyfile=PATH and ssl_check_hostname=false."},
    {"format", 0, OPT_AUDIT_FORMAT, OPTARG_CHOICE, "FORMAT", "text json sarif html", IN_AUDIT,
     "report format",
     "audit: text (default, a table per key template), json, sarif (the static findings with "
     "the measured numbers) or html (one self-contained page with a chart)",
     NULL},
    {"match", 0, OPT_MATCH, OPTARG_VALUE, "PATTERN", NULL, IN_AUDIT, "only keys matching",
     "audit only the keys matching the SCAN MATCH glob", NULL},
    {"sample", 0, OPT_SAMPLE, OPTARG_VALUE, "N", NULL, IN_AUDIT, "stop after N keys per node",
     "read at most N keys per node and estimate the totals from DBSIZE (marked ~)", NULL},
    {"rate", 0, OPT_RATE, OPTARG_VALUE, "N", NULL, IN_AUDIT, "at most N commands per second",
     "send at most N commands per second to each node (default: no cap)", NULL},
    {"count", 0, OPT_SCAN_COUNT, OPTARG_VALUE, "N", NULL, IN_AUDIT, "SCAN COUNT hint",
     "the SCAN COUNT hint, keys per batch (default 1000)", NULL},
    {"timeout", 0, OPT_TIMEOUT, OPTARG_VALUE, "MS", NULL, IN_AUDIT, "connect and reply timeout",
     "milliseconds to wait for a connection and for each reply (default 5000)", NULL},
};
const size_t CLI_NOPTS = sizeof CLI_OPTS / sizeof *CLI_OPTS;

void cli_opts_getopt(unsigned in, struct option *out) {
  size_t k = 0;
  for (size_t i = 0; i < CLI_NOPTS; i++) {
    const CliOpt *o = &CLI_OPTS[i];
    if (!(o->in & in)) continue;
    out[k++] = (struct option){o->name, o->arg == OPTARG_NONE ? no_argument : required_argument,
                               NULL, o->id};
  }
  out[k++] = (struct option){"help", no_argument, NULL, 'h'};
  out[k] = (struct option){NULL, 0, NULL, 0};
}

/* ---- --help ---------------------------------------------------------- */

enum { HELP_COL = 25, HELP_WIDTH = 80 };

/* Words of `text` from column `col` up to HELP_WIDTH, continuing at HELP_COL. */
static void put_wrapped(FILE *out, const char *text, int col) {
  const char *p = text;
  while (*p) {
    size_t wl = strcspn(p, " ");
    if (col > HELP_COL && col + 1 + (int)wl > HELP_WIDTH) {
      fprintf(out, "\n%*s", HELP_COL, "");
      col = HELP_COL;
    } else if (col > HELP_COL) {
      fputc(' ', out);
      col++;
    }
    fwrite(p, 1, wl, out);
    col += (int)wl;
    p += wl;
    while (*p == ' ') p++;
  }
  fputc('\n', out);
}

void cli_opts_help(FILE *out, unsigned in) {
  for (size_t i = 0; i < CLI_NOPTS; i++) {
    const CliOpt *o = &CLI_OPTS[i];
    if (!(o->in & in)) continue;
    char head[64];
    const char *mv = o->metavar ? o->metavar : "", *sp = o->metavar ? " " : "";
    int n = o->short_name ? snprintf(head, sizeof head, "  -%c, --%s%s%s", o->short_name, o->name, sp, mv)
                          : snprintf(head, sizeof head, "  --%s%s%s", o->name, sp, mv);
    fputs(head, out);
    if (n < HELP_COL - 1) fprintf(out, "%*s", HELP_COL - n, "");
    else fputc(' ', out);
    put_wrapped(out, o->help, n < HELP_COL - 1 ? HELP_COL : n + 1);
  }
}

void cli_opts_usage(FILE *out) {
  for (size_t i = 0; i < CLI_NCOMMANDS; i++) {
    const CliCommand *c = &CLI_COMMANDS[i];
    char head[96];
    int n = snprintf(head, sizeof head, "%s redislint %s%s%s", i ? "      " : "Usage:", c->name,
                     *c->synopsis ? " " : "", c->synopsis);
    if (n <= 44) fprintf(out, "%-45s %s\n", head, c->brief);
    else fprintf(out, "%s\n%45s %s\n", head, "", c->brief);
  }
  fputs("       redislint --version | --help\n", out);
}

/* ---- man page --------------------------------------------------------- */

/* troff text: '-' and '\' escaped, a leading '.' or '\'' guarded. */
static void man_text(FILE *out, const char *s) {
  if (*s == '.' || *s == '\'') fputs("\\&", out);
  for (; *s; s++) {
    if (*s == '-') fputs("\\-", out);
    else if (*s == '\\') fputs("\\e", out);
    else fputc(*s, out);
  }
}

static void man_entry(FILE *out, const CliOpt *o) {
  fputs(o->short_name || o->metavar ? ".TP\n.BR " : ".TP\n.B ", out);
  if (o->short_name) fprintf(out, "\\-%c \", \" ", o->short_name);
  fputs("\\-\\-", out);
  man_text(out, o->name);
  if (o->metavar) {
    fputs(" \" \" \\fI", out);
    man_text(out, o->metavar);
    fputs("\\fR", out);
  }
  fputc('\n', out);
  /* the help text is a phrase: start it with a capital, end it with a stop */
  char first[2] = {o->help[0] >= 'a' && o->help[0] <= 'z' ? (char)(o->help[0] - 32) : o->help[0], 0};
  man_text(out, first);
  man_text(out, o->help + 1);
  fputs(".", out);
  if (o->more) {
    fputc(' ', out);
    man_text(out, o->more);
  }
  fputc('\n', out);
}

void cli_opts_man(FILE *out) {
  const unsigned main_in = IN_CHECK | IN_CALLS;
  for (size_t i = 0; i < CLI_NOPTS; i++)
    if (CLI_OPTS[i].in & main_in) man_entry(out, &CLI_OPTS[i]);
  fputs(".SS \"Options of audit\"\nAs for \\fBcheck\\fR:", out);
  const char *sep = " ";
  for (size_t i = 0; i < CLI_NOPTS; i++) {
    const CliOpt *o = &CLI_OPTS[i];
    if (!(o->in & IN_AUDIT) || !(o->in & main_in)) continue;
    fprintf(out, "%s\\fB\\-\\-", sep);
    man_text(out, o->name);
    fputs("\\fR", out);
    sep = ", ";
  }
  fputs(". And:\n", out);
  for (size_t i = 0; i < CLI_NOPTS; i++)
    if ((CLI_OPTS[i].in & IN_AUDIT) && !(CLI_OPTS[i].in & main_in)) man_entry(out, &CLI_OPTS[i]);
}

/* ---- completions ------------------------------------------------------ */

/* The subcommands that take options, with their IN_* bit. */
static const struct {
  const char *cmd;
  unsigned in;
} SUBS[] = {{"check", IN_CHECK}, {"config", IN_CONFIG},      {"calls", IN_CALLS},
            {"keys", IN_KEYS},   {"install-hook", IN_HOOK}, {"audit", IN_AUDIT}};
enum { NSUBS = sizeof SUBS / sizeof *SUBS };

static const char RULES_CMD[] = "redislint rules 2>/dev/null | awk 'NR>1 {print $1, $2}'";

/* The first entry with the same long name as entry i (names repeat across
   subcommands: check's --format and audit's). */
static size_t first_named(size_t i) {
  for (size_t k = 0; k < i; k++)
    if (!strcmp(CLI_OPTS[k].name, CLI_OPTS[i].name)) return k;
  return i;
}

static void bash_words(FILE *out, unsigned in) {
  for (size_t i = 0; i < CLI_NOPTS; i++)
    if (CLI_OPTS[i].in & in) fprintf(out, " --%s", CLI_OPTS[i].name);
  fputs(" --help", out);
}

static void completion_bash(FILE *out) {
  fputs("# bash completion for redislint (generated by `redislint completions bash`)\n"
        "_redislint() {\n"
        "  local cur prev\n"
        "  cur=${COMP_WORDS[COMP_CWORD]}\n"
        "  prev=${COMP_WORDS[COMP_CWORD-1]}\n"
        "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
        "    COMPREPLY=($(compgen -W \"",
        out);
  for (size_t i = 0; i < CLI_NCOMMANDS; i++) fprintf(out, "%s ", CLI_COMMANDS[i].name);
  fputs("--version --help\" -- \"$cur\"))\n    return\n  fi\n  case $prev in\n", out);
  for (size_t i = 0; i < CLI_NOPTS; i++) {
    const CliOpt *o = &CLI_OPTS[i];
    if (o->arg == OPTARG_NONE || first_named(i) != i) continue; /* one case per name */
    fprintf(out, "    ");
    if (o->short_name) fprintf(out, "-%c|", o->short_name);
    fprintf(out, "--%s) ", o->name);
    switch (o->arg) {
    case OPTARG_FILE: fputs("COMPREPLY=($(compgen -f -- \"$cur\"))", out); break;
    case OPTARG_CHOICE: { /* every subcommand's choices for this name, once each */
      char words[256] = "";
      for (size_t k = i; k < CLI_NOPTS; k++) {
        if (strcmp(CLI_OPTS[k].name, o->name) || !CLI_OPTS[k].choices) continue;
        for (const char *w = CLI_OPTS[k].choices; *w;) {
          size_t n = strcspn(w, " ");
          char one[32], padded[40], have[260];
          snprintf(one, sizeof one, "%.*s", (int)n, w);
          snprintf(padded, sizeof padded, " %s ", one);
          snprintf(have, sizeof have, " %s ", words);
          if (!strstr(have, padded))
            snprintf(words + strlen(words), sizeof words - strlen(words), "%s%s",
                     *words ? " " : "", one);
          w += n;
          while (*w == ' ') w++;
        }
      }
      fprintf(out, "COMPREPLY=($(compgen -W \"%s\" -- \"$cur\"))", words);
      break;
    }
    case OPTARG_RULES: fprintf(out, "COMPREPLY=($(compgen -W \"$(%s)\" -- \"$cur\"))", RULES_CMD); break;
    case OPTARG_REV:
      fputs("COMPREPLY=($(compgen -W \"$(git for-each-ref --format='%(refname:short)' "
            "2>/dev/null)\" -- \"$cur\"))",
            out);
      break;
    default: fputs(":", out); break;
    }
    fputs("; return ;;\n", out);
  }
  fprintf(out, "    rule) COMPREPLY=($(compgen -W \"$(%s)\" -- \"$cur\")); return ;;\n", RULES_CMD);
  fputs("    completions) COMPREPLY=($(compgen -W \"bash zsh fish\" -- \"$cur\")); return ;;\n"
        "  esac\n"
        "  if [[ $cur == -* ]]; then\n"
        "    case ${COMP_WORDS[1]} in\n",
        out);
  for (size_t s = 0; s < NSUBS; s++) {
    fprintf(out, "      %s) COMPREPLY=($(compgen -W \"", SUBS[s].cmd);
    bash_words(out, SUBS[s].in);
    fputs("\" -- \"$cur\")) ;;\n", out);
  }
  fputs("      *) COMPREPLY=($(compgen -W \"--help\" -- \"$cur\")) ;;\n"
        "    esac\n"
        "  else\n"
        "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
        "  fi\n"
        "}\n"
        "complete -o filenames -F _redislint redislint\n",
        out);
}

/* zsh: brief texts go inside [...] and '...': no ], ' or : in them. */
static void zsh_text(FILE *out, const char *s) {
  for (; *s; s++) {
    if (*s == '\'') fputs("'\\''", out);
    else if (*s == '[' || *s == ']' || *s == ':') fputc(' ', out);
    else fputc(*s, out);
  }
}

static void zsh_args(FILE *out, unsigned in) {
  fputs("      _arguments \\\n", out);
  for (size_t i = 0; i < CLI_NOPTS; i++) {
    const CliOpt *o = &CLI_OPTS[i];
    if (!(o->in & in)) continue;
    fputs("        ", out);
    if (!strcmp(o->name, "exclude")) fputc('*', out); /* repeatable */
    if (o->short_name) fprintf(out, "'(-%c --%s)'{-%c,--%s}'[", o->short_name, o->name, o->short_name, o->name);
    else fprintf(out, "'--%s[", o->name);
    zsh_text(out, o->brief);
    fputc(']', out);
    switch (o->arg) {
    case OPTARG_FILE: fputs(":file:_files", out); break;
    case OPTARG_CHOICE: fprintf(out, ":value:(%s)", o->choices); break;
    case OPTARG_RULES: fputs(":rules:_redislint_rules", out); break;
    case OPTARG_REV: fputs(":rev:", out); break;
    case OPTARG_VALUE: fputs(":value:", out); break;
    case OPTARG_NONE: break;
    }
    fputs("' \\\n", out);
  }
  fputs("        '*:path:_files'\n", out);
}

static void completion_zsh(FILE *out) {
  fputs("#compdef redislint\n"
        "# zsh completion for redislint (generated by `redislint completions zsh`)\n\n"
        "_redislint_rules() {\n"
        "  local -a rules\n"
        "  rules=(${(f)\"$(redislint rules 2>/dev/null | awk 'NR>1 {print $1; print $2}')\"})\n"
        "  _describe 'rule' rules\n"
        "}\n\n"
        "_redislint() {\n"
        "  local -a commands\n"
        "  commands=(\n",
        out);
  for (size_t i = 0; i < CLI_NCOMMANDS; i++) {
    fprintf(out, "    '%s:", CLI_COMMANDS[i].name);
    zsh_text(out, CLI_COMMANDS[i].brief);
    fputs("'\n", out);
  }
  fputs("  )\n"
        "  if (( CURRENT == 2 )); then\n"
        "    _describe 'command' commands\n"
        "    _arguments '--version[print the version]' '--help[show help]'\n"
        "    return\n"
        "  fi\n"
        "  case $words[2] in\n"
        "    rule) _redislint_rules ;;\n"
        "    completions) _values 'shell' bash zsh fish ;;\n",
        out);
  for (size_t s = 0; s < NSUBS; s++) {
    fprintf(out, "    %s)\n", SUBS[s].cmd);
    zsh_args(out, SUBS[s].in);
    fputs("      ;;\n", out);
  }
  fputs("  esac\n}\n\n_redislint \"$@\"\n", out);
}

/* fish: brief texts go inside '...'. */
static void fish_text(FILE *out, const char *s) {
  for (; *s; s++) {
    if (*s == '\'' || *s == '\\') fputc('\\', out);
    fputc(*s, out);
  }
}

static void completion_fish(FILE *out) {
  fputs("# fish completion for redislint (generated by `redislint completions fish`)\n"
        "set -l cmds",
        out);
  for (size_t i = 0; i < CLI_NCOMMANDS; i++) fprintf(out, " %s", CLI_COMMANDS[i].name);
  fputc('\n', out);
  for (size_t i = 0; i < CLI_NCOMMANDS; i++) {
    fprintf(out, "complete -c redislint -f -n \"not __fish_seen_subcommand_from $cmds\" -a %s -d '",
            CLI_COMMANDS[i].name);
    fish_text(out, CLI_COMMANDS[i].brief);
    fputs("'\n", out);
  }
  fputs("complete -c redislint -n \"not __fish_seen_subcommand_from $cmds\" -l version -d 'print the version'\n"
        "complete -c redislint -l help -d 'show help'\n"
        "complete -c redislint -n \"__fish_seen_subcommand_from rule\" -f -a \"(redislint rules 2>/dev/null | awk 'NR>1 {print \\$1}')\"\n"
        "complete -c redislint -n \"__fish_seen_subcommand_from completions\" -f -a 'bash zsh fish'\n",
        out);
  for (size_t i = 0; i < CLI_NOPTS; i++) {
    const CliOpt *o = &CLI_OPTS[i];
    fputs("complete -c redislint -n \"__fish_seen_subcommand_from", out);
    for (size_t s = 0; s < NSUBS; s++)
      if (o->in & SUBS[s].in) fprintf(out, " %s", SUBS[s].cmd);
    fputc('"', out);
    if (o->short_name) fprintf(out, " -s %c", o->short_name);
    fprintf(out, " -l %s", o->name);
    switch (o->arg) {
    case OPTARG_FILE: fputs(" -r", out); break;
    case OPTARG_CHOICE: fprintf(out, " -x -a '%s'", o->choices); break;
    case OPTARG_RULES: fputs(" -x -a \"(redislint rules 2>/dev/null | awk 'NR>1 {print \\$1}')\"", out); break;
    case OPTARG_REV: fputs(" -x -a \"(git for-each-ref --format='%(refname:short)' 2>/dev/null)\"", out); break;
    case OPTARG_VALUE: fputs(" -x", out); break;
    case OPTARG_NONE: break;
    }
    fputs(" -d '", out);
    fish_text(out, o->brief);
    fputs("'\n", out);
  }
}

int cli_opts_completion(FILE *out, const char *shell) {
  if (!strcmp(shell, "bash")) completion_bash(out);
  else if (!strcmp(shell, "zsh")) completion_zsh(out);
  else if (!strcmp(shell, "fish")) completion_fish(out);
  else return -1;
  return 0;
}
