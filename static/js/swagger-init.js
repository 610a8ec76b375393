// Starts Swagger UI on the API documentation page (templates/api/swagger_ui.html), reading the
// schema's address from the page. Writes made from "Try it out" with the signed-in session
// carry the CSRF token, as drf-spectacular's own page does.
(function () {
  "use strict";

  var root = document.getElementById("swagger-ui");

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    requestInterceptor: function (request) {
      if (request.method && request.method !== "GET" && request.credentials === "same-origin") {
        request.headers[root.getAttribute("data-csrf-header")] = csrfToken();
      }
      return request;
    },
  });
})();
