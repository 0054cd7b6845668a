/* pyver.h - which redis-py the project pins.
 *
 * redis-py 8.0 changed defaults the connection rules depend on (socket
 * timeouts of 5 s instead of none). For each linted file the nearest
 * directory, from the file's own up to the repository root (a directory
 * holding .git or .hg), whose dependency files mention the `redis`
 * distribution decides. Lock files (uv.lock, poetry.lock, pdm.lock,
 * Pipfile.lock) name the exact version and win over declarations in the
 * same directory (pyproject.toml, setup.cfg, setup.py, Pipfile,
 * requirements*.txt, and *.txt files in requirements/). */
#ifndef RL_PYVER_H
#define RL_PYVER_H
#include <stdbool.h>
#include <stddef.h>

typedef enum {
  PYV_UNKNOWN = 0, /* no pin found, or a range that spans 8.0 */
  PYV_BEFORE_8,    /* every allowed version is < 8.0 */
  PYV_8_OR_LATER   /* every allowed version is >= 8.0 */
} PyVerClass;

typedef struct PyVer {
  PyVerClass cls;
  /* Where the verdict comes from, for messages: "requirements.txt: redis==4.6.0",
   * "poetry.lock: redis 5.0.1", "--redis-py-version 8.0"; NULL when nothing
   * was found. Static storage owned by the cache (or the caller). */
  const char *source;
  /* Every allowed version is below this one (major*1000000 + minor*1000 +
   * patch): "redis==2.10.6" gives 2.10.7, "<4" gives 4.0.0; 0 = no bound. */
  long long below;
} PyVer;
/* True when the pin allows only versions before major.minor. */
static inline bool pyver_before(const PyVer *v, int major, int minor) {
  return v && v->below > 0 && v->below <= (long long)major * 1000000 + (long long)minor * 1000;
}

/* The class of a version specifier ("==4.6.0", ">=4.5,<6", "^5.0", "~=8.0",
 * "8.0.1", "*"). */
PyVerClass pyver_classify(const char *spec);
/* The exclusive upper bound of the versions a spec allows, encoded as in
 * PyVer.below; 0 when it has none. */
long long pyver_upper(const char *spec);

/* The inclusive lower bound of the versions the pin v allows (encoded as
 * PyVer.below), read back from v->source: 4004004 for "redis==4.4.4" or a
 * lock's "redis 4.4.4", 4005000 for ">=4.5,<6"; 0 when the pin has none (a
 * bare `redis`, "<5", no pin). */
long long pyver_lower(const PyVer *v);

/* A version given on the command line ("8", "7.4.0"): 0 and *out, or -1. */
int pyver_parse_override(const char *text, PyVer *out);

typedef struct PyVerCache PyVerCache;
PyVerCache *pyver_cache_new(void);
void pyver_cache_free(PyVerCache *c);
/* The pin that applies to a file (path relative to the working directory or
 * absolute). Not thread-safe: call before the parallel phase. */
PyVer pyver_for_file(PyVerCache *c, const char *path);
#endif
