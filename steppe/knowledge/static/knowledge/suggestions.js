/* The editor's suggestions (knowledge/partials/suggestions.html). No inline script (CSP).
 *
 * - "Add" ticks the editor form's country option or theme checkbox, or appends the tag to the tags
 *   field (comma separated).
 * - "Update the suggestions", and leaving the title, lead or body after a change, post the editor form
 *   to the suggestion view and replace the list with the fragment it returns.
 * Without JavaScript the buttons stay hidden and the suggestions read as text.
 */
(function () {
  "use strict";

  function editorForm(section) {
    var id = section.getAttribute("data-form");
    if (id && document.getElementById(id)) return document.getElementById(id);
    var form = section.closest("form");
    if (form) return form;
    var field = document.querySelector("form [name=countries], form [name=themes], form [name=tags]");
    return field ? field.form : null;
  }

  function reveal(root) {
    root.querySelectorAll(".knowledge-suggestions__accept, .knowledge-suggestions__refresh").forEach(
      function (button) { button.hidden = false; }
    );
  }

  function notify(element) {
    element.dispatchEvent(new Event("input", { bubbles: true }));
    element.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function accept(form, name, value) {
    var field = form.elements.namedItem(name);
    if (!field) return false;
    if (field.tagName === "SELECT") {
      for (var i = 0; i < field.options.length; i += 1) {
        if (field.options[i].value === value) {
          field.options[i].selected = true;
          notify(field);
          return true;
        }
      }
      return false;
    }
    if (field.tagName === "TEXTAREA" || (field.tagName === "INPUT" && field.type === "text")) {
      var names = field.value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
      var lower = names.map(function (s) { return s.toLowerCase(); });
      if (lower.indexOf(value.toLowerCase()) === -1) names.push(value);
      field.value = names.join(", ");
      notify(field);
      return true;
    }
    var boxes = field.length !== undefined ? Array.prototype.slice.call(field) : [field];
    for (var j = 0; j < boxes.length; j += 1) {
      if (boxes[j].value === value) {
        boxes[j].checked = true;
        notify(boxes[j]);
        return true;
      }
    }
    return false;
  }

  function refresh(section, form) {
    var results = section.querySelector(".knowledge-suggestions__results");
    var body = form ? new FormData(form) : new FormData();
    section.setAttribute("aria-busy", "true");
    fetch(section.getAttribute("data-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": section.getAttribute("data-csrf") || "" }
    }).then(function (response) {
      if (!response.ok && response.status !== 429) throw new Error(String(response.status));
      return response.text();
    }).then(function (html) {
      results.innerHTML = html;
      reveal(results);
    }).catch(function () {
      results.textContent = section.getAttribute("data-label-error");
    }).finally(function () {
      section.removeAttribute("aria-busy");
    });
  }

  function setUp(section) {
    var form = editorForm(section);
    reveal(section);
    section.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || !section.contains(button)) return;
      if (button.classList.contains("knowledge-suggestions__refresh")) {
        refresh(section, form);
      } else if (button.classList.contains("knowledge-suggestions__accept") && form) {
        if (accept(form, button.getAttribute("data-field"), button.getAttribute("data-value"))) {
          button.disabled = true;
          button.textContent = section.getAttribute("data-label-added");
        }
      }
    });
    if (form) {
      ["title", "lead", "body_source"].forEach(function (name) {
        var field = form.elements.namedItem(name);
        if (field && field.addEventListener) {
          field.addEventListener("change", function () { refresh(section, form); });
        }
      });
    }
  }

  function start() {
    document.querySelectorAll("[data-knowledge-suggestions]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
