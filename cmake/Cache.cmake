# Compiler cache (cpp-best-practices style): when ccache is installed, every compile goes through it, so a second
# build of the same sources — a clean clone, the other preset's shared headers, a branch switched back — is mostly
# cache hits. KOK_CCACHE=OFF turns it off.
option(KOK_CCACHE "Compile through ccache when it is installed" ON)
if(NOT KOK_CCACHE)
  return()
endif()
find_program(KOK_CCACHE_PROGRAM ccache)
if(NOT KOK_CCACHE_PROGRAM)
  return()
endif()
# base_dir makes the paths in the compile commands relative to the source tree, and no hash of the working directory,
# so two clones of the project share their entries (the price: a debugger may look for sources in the other clone).
# pch_defines,time_macros: what ccache needs to cache units compiled with the precompiled header
# (KOK_PRECOMPILED_HEADERS).
set(CMAKE_CXX_COMPILER_LAUNCHER
  ${CMAKE_COMMAND} -E env CCACHE_BASEDIR=${CMAKE_SOURCE_DIR} CCACHE_NOHASHDIR=1
  CCACHE_SLOPPINESS=pch_defines,time_macros ${KOK_CCACHE_PROGRAM})
