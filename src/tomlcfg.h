/* tomlcfg.h - the `[tool.<name>]` table of a pyproject.toml, as JSON.
 *
 * A small C interface to toml++ (Debian's libtomlplusplus): the TOML is
 * parsed by a real TOML parser, the table converted to JSON text, and the
 * configuration code reads that with cJSON like redislint.json. */
#ifndef RL_TOMLCFG_H
#define RL_TOMLCFG_H
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  TOMLCFG_FOUND,    /* *json holds the table (malloc'd, NUL-terminated) */
  TOMLCFG_ABSENT,   /* valid TOML without that table */
  TOMLCFG_INVALID,  /* not valid TOML: err holds the reason, *line its line */
  TOMLCFG_NOT_TABLE /* tool.<name> exists but is not a table */
} TomlCfgResult;

/* Parses `buf` (len bytes, the content of `path`) and extracts tool.<tool>. */
TomlCfgResult tomlcfg_tool_table(const char *path, const char *buf, size_t len, const char *tool,
                                 char **json, char *err, size_t errsize, unsigned *line);

#ifdef __cplusplus
}
#endif
#endif
