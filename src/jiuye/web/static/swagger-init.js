// Starts Swagger UI on /docs (jiuye.web.apidocs). The page carries no inline script: the address of
// the OpenAPI document comes from the data-openapi-url attribute of #swagger-ui. The settings are
// FastAPI's defaults, and validatorUrl null: Swagger UI would otherwise send the spec's address to
// validator.swagger.io for its badge (no request leaves the server).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle === "undefined") {
    return;
  }
  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIBundle.SwaggerUIStandalonePreset]
  });
}());
