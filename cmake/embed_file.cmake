# Turns a file into a C++ source defining `char NAMESPACE::VARIABLE[]` and `std::size_t NAMESPACE::VARIABLE_SIZE`
# (hex bytes, so any content is safe). A missing input is an error: the build never ships a stand-in for it.
# Usage: cmake -DINPUT=... -DOUTPUT=... -DNAMESPACE=... -DVARIABLE=... -DVARIABLE_SIZE=... -P embed_file.cmake
if(NOT EXISTS "${INPUT}")
  message(FATAL_ERROR "embed_file: ${INPUT} does not exist. It is compiled into the services; restore it "
                      "(git checkout -- <file>), and for an image build check that .dockerignore lets it in.")
endif()
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
# Break the initializer into lines of 16 bytes to keep the generated file readable by tools.
string(REGEX REPLACE "(('[^']+',){16})" "\\1\n  " bytes "${bytes}")
set(content "// Generated from ${INPUT} at build time. Do not edit.\n#include <cstddef>\n\nnamespace ${NAMESPACE} {\nextern const char ${VARIABLE}[];\nextern const std::size_t ${VARIABLE_SIZE};\nconst char ${VARIABLE}[] = {\n  ${bytes}'\\0'};\nconst std::size_t ${VARIABLE_SIZE} = ${size};\n}  // namespace ${NAMESPACE}\n")
# Only touch the output when it changes, so an unchanged input does not trigger a rebuild.
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
  if(old STREQUAL content)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${content}")
