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
  $<$<BOOL:${KOK_WARNINGS_AS_ERRORS}>:-Werror>)

add_library(kok_options INTERFACE)
add_library(kok::options ALIAS kok_options)
# Boost.Asio: no deprecated APIs. (Beast 1.81's string_view converts to std::string_view by itself.)
target_compile_definitions(kok_options INTERFACE BOOST_ASIO_NO_DEPRECATED BOOST_ASIO_HAS_CO_AWAIT)
if(KOK_SANITIZE)
  target_compile_options(kok_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(kok_options INTERFACE -fsanitize=address,undefined)
endif()
