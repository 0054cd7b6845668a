# CPack pre-build script (CPACK_PRE_BUILD_SCRIPTS, CMake >= 3.19): runs on the
# staged tree before the package is made. Other generators than DEB are left
# alone. For a .deb:
# - Depends is computed by dpkg-shlibdeps; without it CPack would silently make
#   a package with no Depends at all, so its absence is an error here;
# - Debian's zsh does not search /usr/share/zsh/site-functions (the upstream
#   place the install rules use): packages put completion functions in
#   /usr/share/zsh/vendor-completions;
# - manual pages are compressed (gzip -9n: no name or time stamp in the file).
if(NOT CPACK_GENERATOR STREQUAL "DEB")
  return()
endif()

find_program(RL_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(NOT RL_DPKG_SHLIBDEPS)
  message(FATAL_ERROR "redislint: dpkg-shlibdeps (package dpkg-dev) is needed to compute the "
                      ".deb's Depends; scripts/install-deps.sh --test installs it")
endif()

set(root "${CPACK_TEMPORARY_INSTALL_DIRECTORY}${CPACK_PACKAGING_INSTALL_PREFIX}")

set(site "${root}/share/zsh/site-functions")
if(EXISTS "${site}/_redislint")
  file(MAKE_DIRECTORY "${root}/share/zsh/vendor-completions")
  file(RENAME "${site}/_redislint" "${root}/share/zsh/vendor-completions/_redislint")
  file(GLOB left "${site}/*")
  if(NOT left)
    file(REMOVE_RECURSE "${site}")
  endif()
endif()

file(GLOB pages "${root}/share/man/man*/*.[1-9]")
foreach(page IN LISTS pages)
  execute_process(COMMAND gzip -9n "${page}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "redislint: gzip ${page} failed: ${rc}")
  endif()
endforeach()
