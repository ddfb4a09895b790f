#include "kok/http/response.hpp"

#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

namespace kok::http {

Response Response::from_error(Error error) {
  Response r;
  r.error_ = std::move(error);
  return r;
}

Response Response::text(status s, std::string body) {
  Response r;
  r.message_.result(s);
  r.message_.set(boost::beast::http::field::content_type, "text/plain; charset=utf-8");
  r.message_.body() = std::move(body);
  return r;
}

Response Response::json(status s, const nlohmann::json& value) {
  Response r;
  r.message_.result(s);
  r.message_.set(boost::beast::http::field::content_type, "application/json");
  r.message_.body() = value.dump();
  return r;
}

Response Response::empty(status s) {
  Response r;
  r.message_.result(s);
  return r;
}

Response Response::event_stream(StreamBody body) {
  Response r;
  r.stream_ = std::move(body);
  return r;
}

Response& Response::header(std::string_view name, std::string_view value) {
  message_.set(name, value);
  return *this;
}

Response& Response::on_written(WrittenCallback callback) {
  written_ = std::move(callback);
  return *this;
}

}  // namespace kok::http
