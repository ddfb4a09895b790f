#pragma once
// The memory this process may use, as its container's cgroup says (Kubernetes writes a pod's resources.limits.memory
// there), so a service can size its buffers to the limit it runs under instead of a number that must be kept in step
// with the manifests by hand.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

namespace kok::service {

// The contents of cgroup v2 memory.max or v1 memory.limit_in_bytes: the limit in bytes, nullopt for "no limit" ("max",
// or v1's page-rounded LLONG_MAX) or text that is not a number.
std::optional<std::uint64_t> parse_cgroup_memory_limit(std::string_view text);

// Reads `root`/memory.max (v2), else `root`/memory/memory.limit_in_bytes (v1). nullopt when neither exists or neither
// sets a limit. Both are the container's own view: a container runtime mounts its cgroup at /sys/fs/cgroup.
std::optional<std::uint64_t> cgroup_memory_limit(const std::filesystem::path& root = "/sys/fs/cgroup");

}  // namespace kok::service
