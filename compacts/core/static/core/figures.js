/* Figures: draws each figure's Vega-Lite chart with the vendored vega-embed (SVG, no actions).
 *
 * Safe to load on every page, more than once: it does nothing where there is no chart, and it
 * loads Vega only when a page has one. The chart's spec and locale are JSON in
 * <script type="application/json"> beside the chart; the data table next to it carries every
 * number, so a page without JavaScript loses nothing but the picture. Charts that htmx swaps
 * into the page are drawn too.
 */
(function () {
  "use strict";
  if (window.compactsFigures) {
    window.compactsFigures.draw(document);
    return;
  }

  var loading = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.async = false;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("Could not load " + src)); };
      document.head.appendChild(script);
    });
  }

  function loadVega(node) {
    if (window.vegaEmbed) return Promise.resolve();
    if (!loading) {
      // vega-lite and vega-embed expect the globals of the ones before them.
      loading = loadScript(node.dataset.vega)
        .then(function () { return window.vegaLite ? null : loadScript(node.dataset.vegaLite); })
        .then(function () { return loadScript(node.dataset.vegaEmbed); });
    }
    return loading;
  }

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function drawOne(node) {
    node.setAttribute("data-figure-state", "drawing");
    var spec = readJson(node.dataset.spec);
    var locale = readJson(node.dataset.locale) || {};
    if (!spec) return Promise.resolve();
    node.hidden = false;
    return loadVega(node)
      .then(function () {
        return window.vegaEmbed(node, spec, {
          renderer: "svg",
          actions: false,
          formatLocale: locale.formatLocale,
          timeFormatLocale: locale.timeFormatLocale,
        });
      })
      .then(function () {
        // The picture is one image for assistive technology; the table beside it has the data.
        node.setAttribute("role", "img");
        node.setAttribute("aria-label", node.dataset.label || "");
        if (node.dataset.describedBy) {
          node.setAttribute("aria-describedby", node.dataset.describedBy);
        }
        var svg = node.querySelector("svg");
        if (svg) svg.setAttribute("aria-hidden", "true");
        node.setAttribute("data-figure-state", "drawn");
      })
      .catch(function (error) {
        node.hidden = true;
        node.setAttribute("data-figure-state", "failed");
        if (window.console) console.error(error);
      });
  }

  function draw(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var nodes = scope.querySelectorAll("[data-figure-chart]:not([data-figure-state])");
    return Promise.all(Array.prototype.map.call(nodes, drawOne));
  }

  window.compactsFigures = { draw: draw };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { draw(document); });
  } else {
    draw(document);
  }
  document.addEventListener("htmx:load", function (event) { draw(event.target); });
})();
