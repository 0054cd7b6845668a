// tomlcfg.cpp - toml++ behind the C interface of tomlcfg.h.
#include "tomlcfg.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <string_view>

#include <toml++/toml.h>

namespace {

void set_err(char *err, size_t errsize, std::string_view what) {
  if (!err || !errsize) return;
  std::snprintf(err, errsize, "%.*s", static_cast<int>(what.size()), what.data());
}

TomlCfgResult extract(const toml::table &doc, const char *tool, char **json, char *err,
                      size_t errsize) {
  const toml::node *t = doc.get("tool");
  if (!t) return TOMLCFG_ABSENT;
  const toml::table *tools = t->as_table();
  if (!tools) {
    set_err(err, errsize, "`tool` is not a table");
    return TOMLCFG_NOT_TABLE;
  }
  const toml::node *mine = tools->get(tool);
  if (!mine) return TOMLCFG_ABSENT;
  const toml::table *tab = mine->as_table();
  if (!tab) {
    set_err(err, errsize, std::string("`tool.") + tool + "` is not a table");
    return TOMLCFG_NOT_TABLE;
  }
  std::ostringstream out;
  out << toml::json_formatter{*tab};
  std::string s = out.str();
  char *copy = static_cast<char *>(std::malloc(s.size() + 1));
  if (!copy) {
    set_err(err, errsize, "out of memory");
    return TOMLCFG_INVALID;
  }
  std::memcpy(copy, s.data(), s.size() + 1);
  *json = copy;
  return TOMLCFG_FOUND;
}

}  // namespace

extern "C" TomlCfgResult tomlcfg_tool_table(const char *path, const char *buf, size_t len,
                                            const char *tool, char **json, char *err,
                                            size_t errsize, unsigned *line) {
  *json = nullptr;
  *line = 0;
  std::string_view text(buf, len);
#if TOML_EXCEPTIONS
  try {
    toml::table doc = toml::parse(text, std::string_view(path));
    return extract(doc, tool, json, err, errsize);
  } catch (const toml::parse_error &e) {
    set_err(err, errsize, e.description());
    *line = static_cast<unsigned>(e.source().begin.line);
    return TOMLCFG_INVALID;
  } catch (const std::exception &e) {
    set_err(err, errsize, e.what());
    return TOMLCFG_INVALID;
  }
#else
  toml::parse_result res = toml::parse(text, std::string_view(path));
  if (!res) {
    set_err(err, errsize, res.error().description());
    *line = static_cast<unsigned>(res.error().source().begin.line);
    return TOMLCFG_INVALID;
  }
  return extract(res.table(), tool, json, err, errsize);
#endif
}
