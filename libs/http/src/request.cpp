#include "kok/http/request.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "kok/http/error.hpp"
#include "media_type.hpp"

namespace kok::http {

namespace asio = boost::asio;

Request::Request(BeastRequest message, asio::ip::tcp::endpoint peer, std::string request_id,
                 std::shared_ptr<Interruption> interruption)
    : message_(std::move(message)),
      peer_(std::move(peer)),
      request_id_(std::move(request_id)),
      interruption_(interruption ? std::move(interruption) : std::make_shared<Interruption>()) {
  // Boost.URL validates the target and does all percent-decoding; nothing is decoded by hand here.
  auto parsed = boost::urls::parse_origin_form(message_.target());
  if (!parsed) throw bad_request("malformed request target");
  const boost::urls::url_view url = *parsed;
  encoded_path_ = std::string(url.encoded_path());
  for (const auto& p : url.params()) query_.emplace_back(p.key, p.has_value ? p.value : std::string{});
}

std::optional<std::string_view> Request::header(std::string_view name) const {
  const auto it = message_.find(name);
  if (it == message_.end()) return std::nullopt;
  return it->value();
}

std::optional<std::string> Request::query(std::string_view key) const {
  for (const auto& [k, v] : query_) {
    if (k == key) return v;
  }
  return std::nullopt;
}

const std::string& Request::param(std::string_view name) const {
  for (const auto& [k, v] : params_) {
    if (k == name) return v;
  }
  throw Error(ErrorStatus::internal_server_error, "route has no parameter " + std::string(name));
}

bool Request::accepts_json() const {
  const auto accept = header("Accept");
  return accept && detail::accept_prefers_json(*accept);
}

bool Request::accepts(std::string_view media_type) const {
  const auto accept = header("Accept");
  return accept && detail::accept_lists(*accept, media_type);
}

bool Request::content_type_is(std::string_view media_type) const {
  const auto type = header("Content-Type");
  return type && detail::media_type_equals(*type, media_type);
}

asio::awaitable<bool> Request::sleep_for(std::chrono::milliseconds duration) {
  if (interruption_->interrupted()) co_return false;
  asio::steady_timer timer(co_await asio::this_coro::executor, duration);
  const Interruption::Wait wait{*interruption_};  // declared after the timer: the slot is cleared before it goes
  boost::system::error_code ec;
  co_await timer.async_wait(
      asio::bind_cancellation_slot(wait.slot(), asio::redirect_error(asio::use_awaitable, ec)));
  co_return !ec && !interruption_->interrupted();
}

void Request::bind_route(std::string route_name, Params params) {
  route_name_ = std::move(route_name);
  params_ = std::move(params);
}

}  // namespace kok::http
