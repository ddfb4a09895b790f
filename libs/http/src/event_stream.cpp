#include "kok/http/event_stream.hpp"

namespace kok::http {

namespace {
// A field value must stay on one line or it would end the field early; line breaks become spaces.
std::string one_line(std::string_view value) {
  std::string out(value);
  for (auto& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}
}  // namespace

std::string format_event(const Event& event) {
  std::string out;
  out.reserve(event.data.size() + event.id.size() + event.event.size() + 32);
  if (!event.id.empty()) out.append("id: ").append(one_line(event.id)).append("\n");
  if (!event.event.empty()) out.append("event: ").append(one_line(event.event)).append("\n");
  if (event.retry) out.append("retry: ").append(std::to_string(event.retry->count())).append("\n");
  // Each line of the payload becomes its own data: line (CR, LF and CRLF all end a line in SSE);
  // the client joins them back with '\n'.
  std::string_view data = event.data;
  for (;;) {
    const auto end_of_line = data.find_first_of("\r\n");
    out.append("data: ").append(data.substr(0, end_of_line)).append("\n");
    if (end_of_line == std::string_view::npos) break;
    const bool crlf = data[end_of_line] == '\r' && end_of_line + 1 < data.size() && data[end_of_line + 1] == '\n';
    data.remove_prefix(end_of_line + (crlf ? 2 : 1));
  }
  out.append("\n");
  return out;
}

boost::asio::awaitable<bool> EventStream::send(const Event& event) {
  co_return co_await sink_->write(format_event(event));
}

boost::asio::awaitable<bool> EventStream::send(const std::vector<Event>& events) {
  std::string out;
  for (const auto& e : events) out.append(format_event(e));
  co_return co_await sink_->write(std::move(out));
}

boost::asio::awaitable<bool> EventStream::comment(std::string_view text) {
  std::string line = ": ";
  line.append(text).append("\n\n");
  co_return co_await sink_->write(std::move(line));
}

}  // namespace kok::http
