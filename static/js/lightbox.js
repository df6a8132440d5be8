/*
 * Lightbox for a house's photos: `ul.photo-grid[data-lightbox] a.photo-link` opens the large derivative (the
 * link's href) in the page's <dialog class="lightbox"> with the caption (data-caption) and "n of N".
 *
 * The dialog is opened with showModal(), so the rest of the page is inert and focus stays inside it;
 * it is labelled, aria-modal, and gives focus back to the thumbnail it was opened from. Keys: ← and →
 * move, Escape closes (the dialog's own cancel), Tab cycles through its buttons. A swipe moves on
 * touch screens; a click on the dark backdrop closes. Without JavaScript the links open the image.
 * A photo with a deep-zoom page (data-zoom, public photos only) gets a "Zoom in" link in the caption.
 * The template renders every label (data-counter, aria-label), so this file holds no language.
 */
(function () {
  "use strict";

  var grid = document.querySelector("ul.photo-grid[data-lightbox]");
  var dialog = document.querySelector("dialog.lightbox");
  if (!grid) return;

  // A house with hundreds of photos shows the first rows and a button for the rest, so the facts and
  // the information items below are not buried. Without JavaScript every photo shows.
  var more = document.querySelector("[data-photo-more]");
  if (more) {
    grid.classList.add("is-collapsed");
    more.hidden = false;
    more.addEventListener("click", function () {
      grid.classList.remove("is-collapsed");
      more.hidden = true;
      var next = grid.querySelectorAll("a.photo-link")[12];
      if (next) next.focus();
    });
  }

  if (!dialog || typeof dialog.showModal !== "function") return;

  // The photos themselves, not the staff-only "original" download links beside them.
  var links = Array.prototype.slice.call(grid.querySelectorAll("a.photo-link"));
  var image = dialog.querySelector(".lightbox-image");
  var captionText = dialog.querySelector(".lightbox-text");
  var counter = dialog.querySelector(".lightbox-counter");
  var prevButton = dialog.querySelector(".lightbox-prev");
  var nextButton = dialog.querySelector(".lightbox-next");
  var closeButton = dialog.querySelector(".lightbox-close");
  var zoomLink = dialog.querySelector(".lightbox-zoom");
  var counterText = grid.getAttribute("data-counter") || "{n} / {total}";
  var current = -1;
  var opener = null;

  function show(index) {
    if (!links.length) return;
    current = (index + links.length) % links.length;
    var link = links[current];
    var thumb = link.querySelector("img");
    dialog.classList.add("is-loading");
    image.src = link.href;
    image.alt = thumb ? thumb.alt : "";
    captionText.textContent = link.getAttribute("data-caption") || "";
    counter.textContent = counterText.replace("{n}", current + 1).replace("{total}", links.length);
    var zoom = link.getAttribute("data-zoom");
    if (zoomLink) {
      zoomLink.hidden = !zoom;
      if (zoom) zoomLink.href = zoom; else zoomLink.removeAttribute("href");
    }
    var single = links.length < 2;
    prevButton.hidden = single;
    nextButton.hidden = single;
    preload(current + 1);
    preload(current - 1);
  }

  function preload(index) {
    if (links.length < 2) return;
    var img = new Image();
    img.src = links[(index + links.length) % links.length].href;
  }

  function open(index, from) {
    opener = from || document.activeElement;
    show(index);
    dialog.showModal();
    document.documentElement.classList.add("lightbox-open");
    closeButton.focus();
  }

  function close() {
    if (dialog.open) dialog.close();
  }

  image.addEventListener("load", function () { dialog.classList.remove("is-loading"); });
  image.addEventListener("error", function () { dialog.classList.remove("is-loading"); });

  // Whatever closes the dialog (Escape, the button, the backdrop), focus goes back to the thumbnail.
  dialog.addEventListener("close", function () {
    document.documentElement.classList.remove("lightbox-open");
    image.removeAttribute("src");
    if (opener && typeof opener.focus === "function") opener.focus();
    opener = null;
  });

  links.forEach(function (link, index) {
    link.addEventListener("click", function (event) {
      // Let ctrl/cmd/shift/middle clicks open the image in a new tab as usual.
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      open(index, link);
    });
  });

  prevButton.addEventListener("click", function () { show(current - 1); });
  nextButton.addEventListener("click", function () { show(current + 1); });
  closeButton.addEventListener("click", close);

  dialog.addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft") {
      event.preventDefault();
      show(current - 1);
    } else if (event.key === "ArrowRight") {
      event.preventDefault();
      show(current + 1);
    } else if (event.key === "Tab") {
      trapFocus(event);
    }
  });

  // Keep Tab inside the dialog (showModal makes the page inert, but Tab could still leave for the
  // browser's own controls and come back on the page behind).
  function trapFocus(event) {
    var focusable = [closeButton, zoomLink, prevButton, nextButton].filter(function (control) {
      return control && !control.hidden;
    });
    var first = focusable[0];
    var last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  // A click on the backdrop (the dialog box itself, outside the figure and buttons) closes.
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) close();
  });

  var touchX = null;
  var touchY = null;
  dialog.addEventListener("touchstart", function (event) {
    if (event.touches.length !== 1) return;
    touchX = event.touches[0].clientX;
    touchY = event.touches[0].clientY;
  }, { passive: true });
  dialog.addEventListener("touchend", function (event) {
    if (touchX === null) return;
    var dx = event.changedTouches[0].clientX - touchX;
    var dy = event.changedTouches[0].clientY - touchY;
    touchX = null;
    if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy) * 1.5) show(dx < 0 ? current + 1 : current - 1);
  }, { passive: true });
})();
