#pragma once
// Everything of kok::kafka in one include.
#include "kok/kafka/admin.hpp"
#include "kok/kafka/config.hpp"
#include "kok/kafka/consumer.hpp"
#include "kok/kafka/error.hpp"
#include "kok/kafka/message.hpp"
#include "kok/kafka/producer.hpp"
#include "kok/kafka/queue_wakeup.hpp"
#include "kok/kafka/result.hpp"
#include "kok/kafka/topic_name.hpp"
