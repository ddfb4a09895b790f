// GET /, /page.js, /page.css: the web page, compiled into the binary from services/consumer/web/ (CMakeLists.txt).
// The consumer serves it because "/" already falls through to the consumer in the Ingress and the local gateway; the
// page calls both services' JSON API from the same origin, so it needs no CORS and no route of its own elsewhere.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "handlers/handlers.hpp"

namespace kok::consumer::web {
// Defined in the files generated at build time (cmake/embed_file.cmake).
extern const char index_html[];
extern const std::size_t index_html_size;
extern const char page_js[];
extern const std::size_t page_js_size;
extern const char page_css[];
extern const std::size_t page_css_size;
}  // namespace kok::consumer::web

namespace kok::consumer {

namespace {

struct Asset {
  std::string_view body;
  std::string_view content_type;
  std::string etag;  // of the content, so a new build's page is never taken for the old one
};

Asset make_asset(const char* data, std::size_t size, std::string_view content_type) {
  const std::string_view body{data, size};
  return {body, content_type, "\"" + std::to_string(std::hash<std::string_view>{}(body)) + "\""};
}

// no-cache: the browser keeps a copy but asks first (a 304 by ETag), so a deployed change shows on the next load
// while an unchanged page costs no body. The URLs carry no version, so a max-age would serve a stale script.
// The CSP allows only this origin: no inline script, nothing from elsewhere (the page works offline).
http::Response serve(const Asset& asset, const http::Request& req) {
  const auto if_none_match = req.header("If-None-Match");
  auto response = if_none_match && *if_none_match == asset.etag ? http::Response::empty(http::status::not_modified)
                                                                 : http::Response::text(http::status::ok,
                                                                                        std::string(asset.body));
  response.header("Content-Type", asset.content_type);
  response.header("Cache-Control", "no-cache");
  response.header("ETag", asset.etag);
  response.header("X-Content-Type-Options", "nosniff");
  response.header("Content-Security-Policy",
                  "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
  return response;
}

}  // namespace

http::Response page_html(http::Request& req) {
  static const Asset asset = make_asset(web::index_html, web::index_html_size, "text/html; charset=utf-8");
  return serve(asset, req);
}

http::Response page_script(http::Request& req) {
  static const Asset asset = make_asset(web::page_js, web::page_js_size, "text/javascript; charset=utf-8");
  return serve(asset, req);
}

http::Response page_style(http::Request& req) {
  static const Asset asset = make_asset(web::page_css, web::page_css_size, "text/css; charset=utf-8");
  return serve(asset, req);
}

}  // namespace kok::consumer
