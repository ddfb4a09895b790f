# Every C++ dependency comes from Debian bookworm packages (scripts/install-deps.sh installs them).
find_package(Threads REQUIRED)
# libboost1.81-dev ships CMake configs; EXACT keeps a stray 1.74 (libboost-dev) from being picked up.
find_package(Boost 1.81.0 EXACT REQUIRED COMPONENTS url)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(spdlog REQUIRED)
find_package(GTest REQUIRED)
# libssl-dev: SHA-256 of a request for Idempotency-Key (libcrypto is already in the process through librdkafka).
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto)
# libyaml-cpp-dev (0.7): the services build their route tables from the OpenAPI spec they serve (YAML).
find_package(yaml-cpp 0.7 REQUIRED)
find_package(PkgConfig REQUIRED)
# librdkafka-dev (2.0.2) ships pkg-config files only.
pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka)
