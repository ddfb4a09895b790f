#pragma once
// What every consumer handler works with: assembled in main() before the server exists, outliving every request.

namespace kok::consumer {

struct ConsumerSettings;
class ConsumerRegistry;

struct ConsumerService {
  const ConsumerSettings& settings;
  ConsumerRegistry& registry;  // one TopicConsumer per topic, opened on first use
};

}  // namespace kok::consumer
