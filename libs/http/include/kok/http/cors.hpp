#pragma once
// Cross-origin resource sharing for browser apps served from another origin. Off unless origins are configured.
// Pure policy: given the configured origins and what a request says (method, Origin, the preflight's
// Access-Control-Request-* headers), the headers to add. The session and the dispatch apply them.

#include <boost/beast/http/verb.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kok::http {

class CorsPolicy {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;

  // Origins as a browser sends them ("https://app.example:8443"), or the single entry "*" (any origin). Empty: off.
  explicit CorsPolicy(std::vector<std::string> allowed_origins = {});
  // "a, b" → {"a", "b"}: blanks trimmed, empty entries dropped. Throws std::invalid_argument for an entry that is
  // neither "*" nor scheme://host[:port] (a path or a trailing slash would never equal a browser's Origin), or for
  // "*" mixed with origins.
  static std::vector<std::string> parse(std::string_view comma_separated);

  bool enabled() const noexcept { return !origins_.empty(); }
  bool allows(std::string_view origin) const;

  // For every answer other than a preflight's (JSON, text, events, errors): Access-Control-Allow-Origin and
  // -Expose-Headers when `origin` is allowed, nothing when it is absent or refused. Vary: Origin whenever the answer
  // depends on the origin (a list of origins, not "*"), so that a cache never hands one origin's answer to another.
  Headers response_headers(std::optional<std::string_view> origin) const;

  // A preflight is OPTIONS with Origin and Access-Control-Request-Method, and only counts when CORS is on.
  bool is_preflight(boost::beast::http::verb method, std::optional<std::string_view> origin,
                    std::optional<std::string_view> request_method) const;
  // The preflight's answer headers for a path served with `methods`; nullopt when the origin is refused. The requested
  // headers (Access-Control-Request-Headers) are echoed when they are among those the API reads.
  std::optional<Headers> preflight_headers(std::string_view origin,
                                           const std::vector<boost::beast::http::verb>& methods,
                                           std::optional<std::string_view> requested_headers) const;

  // The request headers a cross-origin caller may send, and the response headers its script may read.
  static const std::vector<std::string_view>& allowed_request_headers();
  static std::string_view exposed_headers();
  // How long a browser may cache a preflight's answer (seconds).
  static constexpr int max_age_seconds = 600;

 private:
  bool any_origin() const noexcept { return origins_.size() == 1 && origins_.front() == "*"; }
  std::vector<std::string> origins_;
};

}  // namespace kok::http
