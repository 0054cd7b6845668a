# tree-sitter-python grammar, obtained at build time from its npm package.
#
# Pinned to 0.23.6: the newest release whose generated parser is ABI 14, the
# newest ABI that Debian 12's libtree-sitter (0.20.7) accepts. 0.25.x is ABI 15.
#
# The tarball is fetched with `npm pack`, so it comes from whatever registry the
# user's npm is configured for (mirrors, proxies); nothing here names a host.
# Its SHA-512 must match the pin below (the same digest npm records as the
# package's "integrity", in hex), otherwise configuration fails.
#
# Offline or distro builds: -DREDISLINT_GRAMMAR_DIR=<dir> pointing at a folder
# that holds src/parser.c, src/scanner.c and src/tree_sitter/*.h (an unpacked
# tree-sitter-python package). No download happens then.

set(TS_PYTHON_VERSION 0.23.6)
set(TS_PYTHON_SHA512
    c8833dcf4a31288c53edb02d3ce860a1597a8135e59a5221b9eee58854f8a013c5fe585aec76b8750052f3602fea130c459a159c5248f0cea62fe4b05a82c3dc)

set(REDISLINT_GRAMMAR_DIR "" CACHE PATH
    "Use an unpacked tree-sitter-python package from this folder instead of npm")

if(REDISLINT_GRAMMAR_DIR)
  set(TS_PYTHON_DIR "${REDISLINT_GRAMMAR_DIR}")
else()
  set(_dl "${CMAKE_BINARY_DIR}/_grammar")
  set(_tgz "${_dl}/tree-sitter-python-${TS_PYTHON_VERSION}.tgz")
  set(TS_PYTHON_DIR "${_dl}/package")
  if(NOT EXISTS "${TS_PYTHON_DIR}/src/parser.c")
    file(MAKE_DIRECTORY "${_dl}")
    if(NOT EXISTS "${_tgz}")
      find_program(NPM_EXECUTABLE npm)
      if(NOT NPM_EXECUTABLE)
        message(FATAL_ERROR
          "npm is needed to fetch the tree-sitter-python grammar "
          "(or pass -DREDISLINT_GRAMMAR_DIR=<unpacked package>)")
      endif()
      message(STATUS "Fetching tree-sitter-python ${TS_PYTHON_VERSION} with npm pack")
      execute_process(
        COMMAND "${NPM_EXECUTABLE}" pack "tree-sitter-python@${TS_PYTHON_VERSION}"
                --silent --pack-destination "${_dl}"
        WORKING_DIRECTORY "${_dl}"
        RESULT_VARIABLE _rc OUTPUT_QUIET)
      if(NOT _rc EQUAL 0 OR NOT EXISTS "${_tgz}")
        message(FATAL_ERROR "npm pack tree-sitter-python@${TS_PYTHON_VERSION} failed (${_rc})")
      endif()
    endif()
    file(SHA512 "${_tgz}" _got)
    if(NOT _got STREQUAL TS_PYTHON_SHA512)
      file(REMOVE "${_tgz}")
      message(FATAL_ERROR
        "tree-sitter-python tarball integrity check failed:\n"
        "  expected ${TS_PYTHON_SHA512}\n  got      ${_got}")
    endif()
    file(ARCHIVE_EXTRACT INPUT "${_tgz}" DESTINATION "${_dl}")
  endif()
endif()

foreach(_f src/parser.c src/scanner.c src/tree_sitter/parser.h)
  if(NOT EXISTS "${TS_PYTHON_DIR}/${_f}")
    message(FATAL_ERROR "grammar folder ${TS_PYTHON_DIR} lacks ${_f}")
  endif()
endforeach()

add_library(ts_python STATIC
  "${TS_PYTHON_DIR}/src/parser.c"
  "${TS_PYTHON_DIR}/src/scanner.c")
target_include_directories(ts_python PRIVATE "${TS_PYTHON_DIR}/src")
# Generated third-party code: compile it quietly, optimised even in Debug,
# and without sanitizers (it is not ours to fix and dominates parse time).
target_compile_options(ts_python PRIVATE -w -O2)
set_target_properties(ts_python PROPERTIES POSITION_INDEPENDENT_CODE ON)
