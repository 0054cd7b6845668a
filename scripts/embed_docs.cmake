# embed_docs.cmake - embeds the rule documentation (rules/*.md) in the binary.
#
# Usage: cmake -DOUT=<file.c> -DDOCS_DIR=<rules dir> -P scripts/embed_docs.cmake
#
# Writes a C file defining
#   const RuleDocEntry RL_RULE_DOCS[];   one {slug, text} per *.md
#   const size_t RL_RULE_DOCS_LEN;       number of real entries
#   const Rule RL_RULES[];               the rule registry, in code order
#   const size_t RL_NRULES;
# The registry comes from each doc's front matter: code, slug, title,
# severity (error|warning|info), category, fix (safe|unsafe|display|none),
# and optionally `default: off` (opt-in rule) and `evidence: proven` (the rule
# sees only call sites whose client is proven, not inferred from use). The
# rule's C file defines `const RuleImpl RL_IMPL_<slug with _ for ->` with its
# check functions. So a new rule is a C file, its doc and its fixtures.
# where slug is the file name without ".md" and text the whole file, byte for
# byte. Entries are sorted by slug in strcmp order. With no docs the array
# holds one {NULL, NULL} sentinel (C has no empty arrays) and the length is 0.
#
# Escaping: every byte becomes something that stands for exactly that byte in
# a C string literal: printable ASCII as itself, except \ " and ? (escaped; the
# ? so that no trigraph can form); \t \r as escapes; a newline as \n followed
# by the end of the literal, so each line of a doc is one literal; any other
# byte (controls, UTF-8 bytes) as a 3-digit octal escape, which never merges
# with the characters after it. A NUL byte is refused: it would cut the text.
#
# OUT is rewritten only when its content changes, so an unchanged doc set does
# not recompile anything.
cmake_minimum_required(VERSION 3.18)

if(NOT DEFINED OUT OR NOT DEFINED DOCS_DIR)
  message(FATAL_ERROR "usage: cmake -DOUT=<file.c> -DDOCS_DIR=<dir> -P embed_docs.cmake")
endif()
if(NOT IS_DIRECTORY "${DOCS_DIR}")
  message(FATAL_ERROR "embed_docs: ${DOCS_DIR} is not a directory")
endif()

# Replacement text for each byte value 0..255, in _rl_rep_<n>.
function(_rl_init_table)
  foreach(code RANGE 255)
    if(code EQUAL 10)
      set(rep "\\n\"\n   \"")
    elseif(code EQUAL 9)
      set(rep "\\t")
    elseif(code EQUAL 13)
      set(rep "\\r")
    elseif(code EQUAL 34)
      set(rep "\\\"")
    elseif(code EQUAL 63)
      set(rep "\\?")
    elseif(code EQUAL 92)
      set(rep "\\\\")
    elseif(code GREATER_EQUAL 32 AND code LESS_EQUAL 126)
      string(ASCII ${code} rep)
    else()
      math(EXPR d1 "${code} / 64")
      math(EXPR d2 "(${code} / 8) % 8")
      math(EXPR d3 "${code} % 8")
      set(rep "\\${d1}${d2}${d3}")
    endif()
    set(_rl_rep_${code} "${rep}" PARENT_SCOPE)
  endforeach()
endfunction()

# Sets `out` to the body of a C string literal sequence (without the outer
# quotes) holding the bytes given as a hex string (two digits a byte).
#
# The bytes are first turned into tokens "<hh>". Each token is then replaced by
# its escape. '<' (3c) and '>' (3e) are decoded last: until then no decoded
# text contains either, so every "<hh>" still in the string is a real token,
# and when 3c and 3e are decoded the only tokens left are theirs.
function(_rl_escape_hex hex what out)
  string(TOLOWER "${hex}" hex)
  if(hex STREQUAL "")
    set(${out} "" PARENT_SCOPE)
    return()
  endif()
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "<\\1>" text "${hex}")
  if(text MATCHES "<00>")
    message(FATAL_ERROR "embed_docs: ${what} contains a NUL byte")
  endif()
  # Decode only the byte values that occur (fewer passes over the text).
  string(REGEX MATCHALL "<[0-9a-f][0-9a-f]>" present "${text}")
  list(REMOVE_DUPLICATES present)
  list(REMOVE_ITEM present "<3c>" "<3e>")
  list(APPEND present "<3c>" "<3e>")
  foreach(tok IN LISTS present)
    string(SUBSTRING "${tok}" 1 2 h)
    math(EXPR code "0x${h}" OUTPUT_FORMAT DECIMAL)
    string(REPLACE "${tok}" "${_rl_rep_${code}}" text "${text}")
  endforeach()
  # A text ending in a newline would end with an empty literal: drop it.
  string(REGEX REPLACE "\"\n   \"$" "" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

_rl_init_table()

# Entries are sorted by slug in byte order (strcmp order), so that
# "oversized-hash" comes before "oversized-hash-value".
file(GLOB docs LIST_DIRECTORIES false RELATIVE "${DOCS_DIR}" "${DOCS_DIR}/*.md")
set(slugs "")
foreach(name IN LISTS docs)
  string(REGEX REPLACE "\\.md$" "" slug "${name}")
  list(APPEND slugs "${slug}")
endforeach()
list(SORT slugs COMPARE STRING CASE SENSITIVE)

set(body "")
set(count 0)
foreach(slug IN LISTS slugs)
  set(doc "${DOCS_DIR}/${slug}.md")
  # The slug goes through the same escaping as the text.
  string(HEX "${slug}" slug_hex)
  _rl_escape_hex("${slug_hex}" "the name of ${doc}" slug_c)
  file(READ "${doc}" text_hex HEX)
  _rl_escape_hex("${text_hex}" "${doc}" text_c)
  string(APPEND body "  {\"${slug_c}\",\n   \"${text_c}\"},\n")
  math(EXPR count "${count} + 1")
endforeach()
if(count EQUAL 0)
  set(body "  {NULL, NULL}, /* sentinel: C has no zero-length arrays */\n")
endif()

# ---- the registry, from the front matter ----
# Sets `out` to the value of `key: value` in the front matter of `text`, or "".
function(_rl_front text key out)
  string(REGEX MATCH "^---\n(.*)\n---" fm "${text}")
  set(fm "\n${CMAKE_MATCH_1}\n")
  string(REGEX MATCH "\n${key}: ([^\n]*)\n" hit "${fm}")
  set(${out} "${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()

# A two-word key of the front matter as a C bool: `yes` gives true, `no`
# false, absent gives `absent` (true or false); anything else is an error.
function(_rl_switch value key yes no absent doc out)
  if(value STREQUAL "")
    set(${out} ${absent} PARENT_SCOPE)
  elseif(value STREQUAL yes)
    set(${out} true PARENT_SCOPE)
  elseif(value STREQUAL no)
    set(${out} false PARENT_SCOPE)
  else()
    message(FATAL_ERROR "embed_docs: ${doc}: ${key} `${value}` is not ${yes} or ${no}")
  endif()
endfunction()

function(_rl_need value key doc)
  if(value STREQUAL "")
    message(FATAL_ERROR "embed_docs: ${doc}: front matter has no `${key}:`")
  endif()
endfunction()

# front matter words -> C enumerators
set(sev_error SEV_ERROR)
set(sev_warning SEV_WARNING)
set(sev_info SEV_INFO)
set(fix_safe FIX_SAFE)
set(fix_unsafe FIX_UNSAFE)
set(fix_display FIX_DISPLAY)
set(fix_none FIX_NONE)

set(entries "")
set(decls "")
foreach(slug IN LISTS slugs)
  set(doc "${DOCS_DIR}/${slug}.md")
  file(READ "${doc}" text)
  foreach(key code slug title severity category fix default evidence fix-coverage examples scripts tests)
    _rl_front("${text}" ${key} fm_${key})
  endforeach()
  foreach(key code slug title severity category)
    _rl_need("${fm_${key}}" ${key} "${doc}")
  endforeach()
  if(NOT fm_slug STREQUAL slug)
    message(FATAL_ERROR "embed_docs: ${doc}: slug `${fm_slug}` is not the file name")
  endif()
  if(NOT fm_code MATCHES "^RL[0-9][0-9][0-9]$")
    message(FATAL_ERROR "embed_docs: ${doc}: code `${fm_code}` is not RLnnn")
  endif()
  if(NOT DEFINED sev_${fm_severity})
    message(FATAL_ERROR "embed_docs: ${doc}: severity `${fm_severity}` is not error, warning or info")
  endif()
  if(fm_fix STREQUAL "")
    set(fm_fix none)
  endif()
  if(NOT DEFINED fix_${fm_fix})
    message(FATAL_ERROR "embed_docs: ${doc}: fix `${fm_fix}` is not safe, unsafe, display or none")
  endif()
  _rl_switch("${fm_default}" default on off true "${doc}" enabled)
  _rl_switch("${fm_evidence}" evidence proven inferred false "${doc}" proven)
  # a safe or unsafe fix that depends on the code's shape is offered
  # "sometimes" (the default); `fix-coverage: always` when every finding has one
  _rl_switch("${fm_fix-coverage}" fix-coverage always sometimes false "${doc}" fix_always)
  # what the engine does with a finding in example code (examples/, docs/,
  # demo/, bench/...), in one-off scripts (scripts/, bin/, a module's
  # `if __name__ == "__main__":` block) and in test code: silent, info (shown,
  # as info) or same (for tests: what the rule itself decides)
  foreach(where examples scripts tests)
    if(fm_${where} STREQUAL "")
      set(fm_${where} same)
    endif()
    if(NOT fm_${where} MATCHES "^(silent|info|same)$")
      message(FATAL_ERROR "embed_docs: ${doc}: ${where} `${fm_${where}}` is not silent, info or same")
    endif()
    string(TOUPPER "${fm_${where}}" up)
    set(pol_${where} "ROLE_${up}")
  endforeach()
  string(REPLACE "-" "_" ident "${slug}")
  foreach(key title category)
    string(HEX "${fm_${key}}" hex)
    _rl_escape_hex("${hex}" "the ${key} in ${doc}" c_${key})
  endforeach()
  string(APPEND decls "extern const RuleImpl RL_IMPL_${ident};\n")
  # "RL101|<entry>": sorted by code below
  list(APPEND entries "${fm_code}|    {\"${fm_code}\", \"${slug}\", \"${c_title}\", \"${c_category}\", ${sev_${fm_severity}}, ${fix_${fm_fix}}, ${enabled}, ${proven}, ${fix_always}, ${pol_examples}, ${pol_scripts}, ${pol_tests}, &RL_IMPL_${ident}},\n")
endforeach()
list(SORT entries COMPARE STRING CASE SENSITIVE)
set(rules "")
set(nrules 0)
set(prev "")
foreach(e IN LISTS entries)
  string(REGEX MATCH "^(RL[0-9]+)\\|(.*)$" hit "${e}")
  if(CMAKE_MATCH_1 STREQUAL prev)
    message(FATAL_ERROR "embed_docs: two rule docs have the code ${prev}")
  endif()
  set(prev "${CMAKE_MATCH_1}")
  string(APPEND rules "${CMAKE_MATCH_2}")
  math(EXPR nrules "${nrules} + 1")
endforeach()
if(nrules EQUAL 0)
  set(rules "    {NULL, NULL, NULL, NULL, SEV_INFO, FIX_NONE, false, false, NULL}, /* sentinel */\n")
endif()

set(content "/* Generated by scripts/embed_docs.cmake from the rule docs (rules/<slug>.md).
 * Do not edit. */
#include <stddef.h>

#include \"rule.h\"

typedef struct RuleDocEntry { const char *slug; const char *text; } RuleDocEntry;

const RuleDocEntry RL_RULE_DOCS[] = {
${body}};
const size_t RL_RULE_DOCS_LEN = ${count};

${decls}
const Rule RL_RULES[] = {
${rules}};
const size_t RL_NRULES = ${nrules};
")

set(old "")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL content)
  file(WRITE "${OUT}" "${content}")
endif()
