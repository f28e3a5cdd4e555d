// Start Swagger UI with the settings the page carries (steppe/api/docs.py): no inline script.
const settings = JSON.parse(document.getElementById("swagger-settings").textContent);
settings.dom_id = "#swagger-ui";
settings.presets = [SwaggerUIBundle.presets.apis];
window.ui = SwaggerUIBundle(settings);
