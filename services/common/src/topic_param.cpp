#include "kok/service/topic_param.hpp"

#include "kok/http/error.hpp"
#include "kok/kafka/topic_name.hpp"

namespace kok::service {

void require_valid_topic(std::string_view topic) {
  if (auto why = kafka::topic_name_error(topic)) throw http::bad_request(*why);
}

std::string topic_param(const http::Request& request, std::string_view name) {
  const auto& topic = request.param(name);
  require_valid_topic(topic);
  return topic;
}

}  // namespace kok::service
