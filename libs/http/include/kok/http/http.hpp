#pragma once
// Everything a service needs from kok::http.
#include "kok/http/error.hpp"
#include "kok/http/event_stream.hpp"
#include "kok/http/interruption.hpp"
#include "kok/http/metrics.hpp"
#include "kok/http/request.hpp"
#include "kok/http/response.hpp"
#include "kok/http/router.hpp"
#include "kok/http/server.hpp"
