# Build options as interface targets (cpp-best-practices style): every target links kok::options and kok::warnings
# instead of setting flags globally, so third-party headers and test code get the same treatment explicitly.

option(KOK_WARNINGS_AS_ERRORS "Treat compiler warnings as errors" OFF)
option(KOK_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)

# Not -Wnull-dereference: with GCC 12 at -O2 it reports false positives inside inlined Boost.Asio and libstdc++ code,
# which -Werror turns into a broken release build.
add_library(kok_warnings INTERFACE)
add_library(kok::warnings ALIAS kok_warnings)
target_compile_options(kok_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused
  -Woverloaded-virtual -Wconversion -Wsign-conversion -Wdouble-promotion
  -Wformat=2 -Wimplicit-fallthrough -Wmisleading-indentation -Wduplicated-cond -Wduplicated-branches
  -Wlogical-op -Wuseless-cast
  $<$<BOOL:${KOK_WARNINGS_AS_ERRORS}>:-Werror>
  # GCC 12 at -O2 reports -Wmismatched-new-delete inside Asio's coroutine frame allocation (class-specific operator
  # new/delete of awaitable frames, inlined into a coroutine): a known false positive of GCC with coroutines, met in
  # the release preset (handlers/browse.cpp) and the unity image build. The ASan build still catches a real mismatch
  # at run time (alloc-dealloc-mismatch).
  -Wno-mismatched-new-delete
  # A unity build (preset "image") compiles a target's sources as a few files including them. -Wsubobject-linkage
  # then takes one source's anonymous-namespace types for a header's.
  $<$<BOOL:$<TARGET_PROPERTY:UNITY_BUILD>>:-Wno-subobject-linkage>)

add_library(kok_options INTERFACE)
add_library(kok::options ALIAS kok_options)
# Boost.Asio: no deprecated APIs. (Beast 1.81's string_view converts to std::string_view by itself.)
# Compile time (docs/benchmarks.md, "Cold image build"): most units include Asio and Beast (Asio: 43 of the services'
# 62 units), and parsing them plus generating their inline code is most of a unit's time. Two options, on by default
# (dev, release; 22 % less CPU for a cold dev build): separate compilation and a shared precompiled header. The asan
# preset turns both off, so one build of ./test.sh compiles every unit from its own includes with Asio instrumented;
# the image preset turns them off too: its unity build already parses each header once per few sources.
# Separate compilation: Asio's and Beast's own code is compiled once (libs/asio) instead of inline in each unit. Every
# target gets the same definitions and links kok::asio through kok::options: one program must not mix header-only and
# separately compiled Asio.
option(KOK_ASIO_SEPARATE_COMPILATION "Compile Boost.Asio and Boost.Beast once (libs/asio), not in every unit" ON)
set(KOK_ASIO_DEFINITIONS BOOST_ASIO_NO_DEPRECATED BOOST_ASIO_HAS_CO_AWAIT)
if(KOK_ASIO_SEPARATE_COMPILATION)
  list(APPEND KOK_ASIO_DEFINITIONS BOOST_ASIO_SEPARATE_COMPILATION BOOST_BEAST_SEPARATE_COMPILATION)
  target_link_libraries(kok_options INTERFACE kok_asio)
endif()
target_compile_definitions(kok_options INTERFACE ${KOK_ASIO_DEFINITIONS})

# Precompiled headers: the Boost.Asio/Beast, nlohmann/json and spdlog headers parsed once into a PCH that the service
# targets share (kok_precompile_headers, called from the top-level CMakeLists.txt). The price: a unit that forgets an
# include of these still compiles here (the asan preset's build catches it).
option(KOK_PRECOMPILED_HEADERS "Share one precompiled header of Asio/Beast/json/spdlog among the service targets" ON)
function(kok_precompile_headers owner)
  if(NOT KOK_PRECOMPILED_HEADERS)
    return()
  endif()
  target_precompile_headers(${owner} PRIVATE
    <boost/asio/any_io_executor.hpp> <boost/asio/awaitable.hpp> <boost/asio/bind_cancellation_slot.hpp>
    <boost/asio/cancellation_signal.hpp> <boost/asio/co_spawn.hpp> <boost/asio/io_context.hpp>
    <boost/asio/ip/tcp.hpp> <boost/asio/post.hpp> <boost/asio/redirect_error.hpp> <boost/asio/steady_timer.hpp>
    <boost/asio/use_awaitable.hpp> <boost/beast/http/message.hpp> <boost/beast/http/status.hpp>
    <boost/beast/http/string_body.hpp> <boost/beast/http/verb.hpp> <nlohmann/json.hpp> <spdlog/spdlog.h>
    <chrono> <functional> <map> <memory> <optional> <string> <string_view> <vector>)
  foreach(target IN LISTS ARGN)
    target_precompile_headers(${target} REUSE_FROM ${owner})
  endforeach()
endfunction()
if(KOK_SANITIZE)
  target_compile_options(kok_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(kok_options INTERFACE -fsanitize=address,undefined)
endif()
