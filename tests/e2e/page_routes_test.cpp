// The routes the web page adds, through the local gateway: the page's three files are served byte for byte as they
// are in services/consumer/web/ (compiled into the consumer), with their content types and a revalidating cache; and
// GET /brokers reaches the producer and names every broker of the test cluster.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "gateway.hpp"
#include "kok/test_support/http_client.hpp"
#include "kok/test_support/kafka_env.hpp"

namespace {

using kok::test_support::HttpClient;

HttpClient gateway() { return HttpClient("127.0.0.1", gateway_port(), std::chrono::seconds(15)); }

std::string source_file(const std::string& name) {
  std::ifstream in(std::string(KOK_WEB_DIR) + "/" + name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct PageFile {
  std::string path;
  std::string source;
  std::string content_type;
};

// ctest shows the parameter beside the test's name: the path, rather than the struct's bytes.
void PrintTo(const PageFile& file, std::ostream* out) { *out << file.path; }

class PageFiles : public testing::TestWithParam<PageFile> {};

TEST_P(PageFiles, AreServedAsInTheTreeAndRevalidatedByETag) {
  const auto& file = GetParam();
  HttpClient http = gateway();
  const auto first = http.get(file.path);
  ASSERT_EQ(first.status, 200u) << first.body;
  EXPECT_EQ(first.body, source_file(file.source));
  EXPECT_EQ(first.header("Content-Type"), file.content_type);
  EXPECT_EQ(first.header("Cache-Control"), "no-cache");
  const auto etag = first.header("ETag");
  ASSERT_FALSE(etag.empty());

  const auto again = http.get(file.path, {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304u);
  EXPECT_EQ(again.body, "");
  EXPECT_EQ(again.header("ETag"), etag);
}

INSTANTIATE_TEST_SUITE_P(Gateway, PageFiles,
                         testing::Values(PageFile{"/", "index.html", "text/html; charset=utf-8"},
                                         PageFile{"/page.js", "page.js", "text/javascript; charset=utf-8"},
                                         PageFile{"/page.css", "page.css", "text/css; charset=utf-8"}),
                         // Names that stay the same from build to build (ctest lists the tests by name).
                         [](const testing::TestParamInfo<PageFile>& param_info) {
                           std::string name = param_info.param.source;
                           for (char& c : name) c = c == '.' ? '_' : c;
                           return name;
                         });

TEST(Gateway, BrokersNamesEveryBrokerOfTheCluster) {
  // The local test cluster's node i listens on the i-th bootstrap address, and advertises it.
  std::string expected = R"({"brokers":[)";
  std::istringstream addresses(kok::test_support::kafka_bootstrap_servers());
  std::string address;
  for (int id = 0; std::getline(addresses, address, ','); ++id) {
    const auto colon = address.rfind(':');
    expected += (id ? "," : "") + std::string(R"({"host":")") + address.substr(0, colon) + R"(","id":)" +
                std::to_string(id) + R"(,"port":)" + address.substr(colon + 1) + "}";
  }
  expected += "]}";
  const auto brokers = gateway().get("/brokers");
  ASSERT_EQ(brokers.status, 200u) << brokers.body;
  EXPECT_EQ(brokers.body, expected);
  EXPECT_EQ(brokers.header("Content-Type"), "application/json");
}

}  // namespace
