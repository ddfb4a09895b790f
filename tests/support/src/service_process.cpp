#include "kok/test_support/service_process.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;  // NOLINT: POSIX

namespace kok::test_support {

namespace {

std::string tail(const std::string& text, std::size_t max_chars) {
  return text.size() <= max_chars ? text : "..." + text.substr(text.size() - max_chars);
}

std::string basename_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  // The casts are what the sockets API requires.
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("bind: " + std::string(std::strerror(errno)));
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

ServiceProcess::ServiceProcess(ServiceOptions options) : options_(std::move(options)) {
  port_ = options_.port != 0 ? options_.port : free_port();
  static std::atomic<int> counter{0};
  log_path_ = "/tmp/kok-test-" + basename_of(options_.binary) + "-" + std::to_string(::getpid()) + "-" +
              std::to_string(counter++) + ".log";

  // Environment: ours, overridden by the options, plus the port.
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [k, v] : options_.env) env[k] = v;
  env["HTTP_PORT"] = std::to_string(port_);
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  std::vector<std::string> arg_strings{options_.binary};
  arg_strings.insert(arg_strings.end(), options_.args.begin(), options_.args.end());
  std::vector<char*> argv;
  for (auto& s : arg_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  const int rc = ::posix_spawn(&pid_, options_.binary.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + options_.binary + ": " + std::strerror(rc));

  if (!wait_ready(options_.ready_timeout)) {
    const bool exited = !running();
    if (!exited) kill();
    throw std::runtime_error(options_.binary + (exited ? " exited before becoming ready" : " not ready in time") +
                             "; log " + log_path_ + ":\n" + tail(log(), 4000));
  }
}

ServiceProcess::~ServiceProcess() {
  if (pid_ > 0 && !exit_status_) kill();
}

std::string ServiceProcess::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

HttpClient ServiceProcess::client(std::chrono::milliseconds timeout) const { return HttpClient("127.0.0.1", port_, timeout); }

int ServiceProcess::reap(bool block) {
  if (exit_status_) return *exit_status_;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  if (r == pid_) exit_status_ = decode_status(status);
  return exit_status_.value_or(-1);
}

bool ServiceProcess::running() {
  reap(false);
  return !exit_status_;
}

bool ServiceProcess::wait_ready(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!running()) return false;
    try {
      HttpClient probe("127.0.0.1", port_, std::chrono::seconds{2});
      if (probe.get(options_.ready_path).status == 200) return true;
    } catch (const std::exception&) {
      // not listening yet
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
  }
  return false;
}

int ServiceProcess::stop(std::chrono::milliseconds timeout) {
  if (exit_status_) return *exit_status_;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!running()) return *exit_status_;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  kill();
  return *exit_status_;
}

void ServiceProcess::kill() {
  if (exit_status_) return;
  ::kill(pid_, SIGKILL);
  reap(true);
}

std::string ServiceProcess::log() const {
  std::ifstream in(log_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace kok::test_support
