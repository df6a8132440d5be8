/*
 * Deep zoom: `[data-zoom-viewer]` becomes an OpenSeadragon viewer (static/vendor/openseadragon/, see
 * tools/vendor.sh) of the IIIF image service whose info.json is data-info-url. Tiles, sizes and button
 * images all come from this site; the page's CSP allows nothing else. The template renders every label,
 * so this file holds no language.
 */
(function () {
  "use strict";

  var element = document.querySelector("[data-zoom-viewer]");
  if (!element || typeof window.OpenSeadragon !== "function") return;

  var MOBILE_CSS = "style[data-openseadragon-mobile-css]";

  // OpenSeadragon's constructor appends an inline <style> (a focus-outline rule for touch screens) unless
  // document.querySelector finds one marked data-openseadragon-mobile-css. The CSP refuses inline styles
  // (an empty or non-CSS <style> is refused too), so for the synchronous constructor only, that one
  // query answers with a detached marker; the rule itself is in static/css/zoom.css.
  function withoutInlineStyle(make) {
    var marker = document.createElement("style");
    var query = document.querySelector;
    document.querySelector = function (selector) {
      return selector === MOBILE_CSS ? marker : query.call(document, selector);
    };
    try {
      return make();
    } finally {
      delete document.querySelector;  // back to Document.prototype.querySelector
    }
  }

  element.dataset.state = "loading";
  var viewer = withoutInlineStyle(function () {
    return window.OpenSeadragon({
      element: element,
      prefixUrl: element.getAttribute("data-prefix-url"),
      tileSources: element.getAttribute("data-info-url"),
      // The canvas drawer works everywhere, WebGL or not (headless browsers, old phones).
      drawer: "canvas",
      showNavigator: true,
      showRotationControl: false,
      crossOriginPolicy: false,
      visibilityRatio: 1,
      minZoomImageRatio: 0.8,
      maxZoomPixelRatio: 2,
    });
  });
  viewer.addHandler("open", function () { element.dataset.state = "open"; });
  viewer.addHandler("open-failed", function () { element.dataset.state = "failed"; });
  viewer.addHandler("tile-loaded", function () {
    element.dataset.tiles = String((+element.dataset.tiles || 0) + 1);
  });
})();
