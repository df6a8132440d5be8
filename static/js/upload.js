/*
 * Photo upload page (templates/staff/upload.html): many files, one per request, a few in flight.
 *
 * Each file is POSTed on its own (multipart field "file", optional "public"=1) to the form's action
 * with the CSRF token in the X-CSRFToken header, so one bad or huge file never spoils the batch and a
 * dropped connection costs one file, not three hundred. Files over the size limit are refused here
 * before any byte is sent. A network error or a 5xx is retried automatically (data-retries times,
 * with a growing pause); what still fails can be sent again with "Retry failed". The server answers
 * 201 {"photo": {...}, "warnings": [{code, message}]} or 4xx {"error": {code, message}}, with the
 * message already in the user's language.
 *
 * Every visible string comes from data-t-* attributes rendered by the template with _(), with {name}
 * placeholders, so this file holds no language.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-uploader]");
  if (!form) return;

  var data = form.dataset;
  var maxBytes = parseInt(data.maxBytes, 10) || Infinity;
  // Photos keep the order they were chosen in, though several are in flight at once.
  var nextPosition = parseInt(data.nextPosition, 10) || 1;
  var parallel = parseInt(data.parallel, 10) || 3;
  var retries = parseInt(data.retries, 10) || 0;
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrfToken = meta ? meta.getAttribute("content") : "";

  var input = form.querySelector('input[type="file"]');
  var publicBox = form.querySelector("[data-public]");
  var dropzone = form.querySelector("[data-dropzone]");
  var statusBox = document.querySelector("[data-upload-status]");
  var list = statusBox.querySelector("[data-upload-list]");
  var totalBar = statusBox.querySelector("[data-total-bar]");
  var totalFiles = statusBox.querySelector("[data-total-files]");
  var totalBytes = statusBox.querySelector("[data-total-bytes]");
  var summary = statusBox.querySelector("[data-summary]");
  var retryButton = statusBox.querySelector("[data-retry-failed]");
  var onlyProblems = statusBox.querySelector("[data-only-problems]");
  var doneLink = statusBox.querySelector("[data-done-link]");

  var items = [];
  var queue = [];
  var active = 0;
  var waitingRetry = 0;
  var renderScheduled = false;

  function text(key, values) {
    var template = data[key] || "";
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function formatBytes(n) {
    if (n < 1024) return n + " B";
    if (n < 1024 * 1024) return (n / 1024).toFixed(0) + " KB";
    if (n < 1024 * 1024 * 1024) return (n / 1048576).toFixed(1) + " MB";
    return (n / 1073741824).toFixed(2) + " GB";
  }

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  /* ---- one row per file ---- */

  function addFile(file) {
    var item = {
      file: file, public: publicBox && publicBox.checked, state: "waiting", attempts: 0,
      loaded: 0, warnings: [], message: "", sendable: file.size <= maxBytes, position: nextPosition++,
    };
    var row = el("li", "upload-item");
    var head = el("div", "upload-item-head");
    head.appendChild(el("span", "file-name", file.name));
    head.appendChild(el("span", "file-size", formatBytes(file.size)));
    item.stateLabel = el("span", "file-state");
    head.appendChild(item.stateLabel);
    row.appendChild(head);
    item.bar = el("progress", "file-progress");
    item.bar.max = 1;
    item.bar.value = 0;
    item.bar.setAttribute("aria-label", file.name);
    row.appendChild(item.bar);
    item.messages = el("ul", "file-messages");
    row.appendChild(item.messages);
    item.row = row;
    list.appendChild(row);
    items.push(item);
    if (item.sendable) {
      queue.push(item);
      setState(item, "waiting");
    } else {
      setState(item, "refused", text("tTooLarge", { mb: Math.round(maxBytes / 1048576) }));
    }
  }

  var STATE_TEXT = {
    waiting: "tWaiting", uploading: "tUploading", uploaded: "tUploaded", refused: "tRefused",
    failed: "tFailed", retrying: "tRetrying",
  };

  function setState(item, state, message) {
    item.state = state;
    item.message = message || "";
    item.row.className = "upload-item is-" + state + (item.warnings.length ? " has-warning" : "");
    item.stateLabel.textContent = text(STATE_TEXT[state], { attempt: item.attempts - 1, retries: retries });
    if (state === "uploaded" || state === "refused") item.bar.value = 1;
    item.messages.textContent = "";
    if (item.message) {
      var line = el("li", state === "uploaded" ? "note" : "reason", item.message);
      if (state === "refused" || state === "failed") line.setAttribute("role", "alert");
      item.messages.appendChild(line);
    }
    item.warnings.forEach(function (warning) {
      var line = el("li", "warning", warning.message);
      line.dataset.code = warning.code || "";
      item.messages.appendChild(line);
    });
    scheduleRender();
  }

  /* ---- the queue: at most `parallel` requests at a time ---- */

  function pump() {
    while (active < parallel && queue.length) send(queue.shift());
    scheduleRender();
  }

  function send(item) {
    active += 1;
    item.attempts += 1;
    item.loaded = 0;
    setState(item, item.attempts > 1 ? "retrying" : "uploading");
    var body = new FormData();
    body.append("file", item.file, item.file.name);
    if (item.public) body.append("public", "1");
    body.append("position", String(item.position));
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-CSRFToken", csrfToken);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = function (event) {
      if (!event.lengthComputable) return;
      item.loaded = Math.min(1, event.loaded / event.total) * item.file.size;
      item.bar.value = item.loaded / (item.file.size || 1);
      scheduleRender();
    };
    xhr.onload = function () { finish(item, xhr); };
    xhr.onerror = function () { finish(item, null); };
    xhr.ontimeout = xhr.onerror;
    xhr.send(body);
  }

  function finish(item, xhr) {
    active -= 1;
    var status = xhr ? xhr.status : 0;
    var answer = xhr ? parseAnswer(xhr) : null;
    // Logged out meanwhile: the login_required redirect was followed to the login page.
    if (xhr && /\/login$/.test(new URL(xhr.responseURL || form.action, location.href).pathname)) {
      setState(item, "failed", text("tLoggedOut"));
    } else if (status === 201 && answer && answer.photo) {
      item.warnings = answer.warnings || [];
      setState(item, "uploaded");
    } else if (status >= 400 && status < 500) {
      var reason = answer && answer.error ? answer.error.message : htmlMessage(xhr);
      setState(item, "refused", reason || text("tUnexpected", { status: status }));
    } else if (item.attempts <= retries && (status === 0 || status >= 500)) {
      // A dropped connection or a server hiccup: wait a little longer each time, then go again.
      waitingRetry += 1;
      setState(item, "waiting", status ? text("tServer", { status: status }) : text("tNetwork"));
      setTimeout(function () {
        waitingRetry -= 1;
        queue.unshift(item);
        pump();
      }, 800 * item.attempts * item.attempts);
    } else if (status === 0 || status >= 500) {
      setState(item, "failed", status ? text("tServer", { status: status }) : text("tNetwork"));
    } else {
      setState(item, "failed", text("tUnexpected", { status: status }));
    }
    pump();
  }

  function parseAnswer(xhr) {
    try {
      return JSON.parse(xhr.responseText);
    } catch (error) {
      return null;
    }
  }

  // Errors raised before the view runs (an expired CSRF token, a body over the limit) come back as the
  // HTML error page; its message is in [data-error-message].
  function htmlMessage(xhr) {
    if (!xhr || !/html/.test(xhr.getResponseHeader("Content-Type") || "")) return "";
    var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var node = doc.querySelector("[data-error-message]");
    return node ? node.textContent.trim() : "";
  }

  /* ---- totals, summary ---- */

  function scheduleRender() {
    if (renderScheduled) return;
    renderScheduled = true;
    window.requestAnimationFrame(render);
  }

  function render() {
    renderScheduled = false;
    var counts = { uploaded: 0, refused: 0, failed: 0, warned: 0 };
    var size = 0;
    var sent = 0;
    items.forEach(function (item) {
      if (item.state in counts) counts[item.state] += 1;
      if (item.warnings.length) counts.warned += 1;
      if (!item.sendable) return;
      size += item.file.size;
      sent += item.state === "uploaded" || item.state === "refused" || item.state === "failed"
        ? item.file.size : item.loaded;
    });
    var done = counts.uploaded + counts.refused + counts.failed;
    var finished = done === items.length && active === 0 && waitingRetry === 0;
    statusBox.hidden = items.length === 0;
    totalBar.value = size ? sent / size : (items.length ? done / items.length : 0);
    totalFiles.textContent = text("tFiles", { done: done, total: items.length });
    totalBytes.textContent = text("tBytes", { sent: formatBytes(sent), size: formatBytes(size) });
    statusBox.dataset.done = done;
    statusBox.dataset.total = items.length;
    statusBox.dataset.uploaded = counts.uploaded;
    statusBox.dataset.refused = counts.refused;
    statusBox.dataset.failed = counts.failed;
    statusBox.dataset.warned = counts.warned;
    statusBox.dataset.finished = finished ? "true" : "false";
    retryButton.hidden = !(finished && counts.failed);
    doneLink.hidden = !(finished && counts.uploaded);
    if (finished && items.length) {
      var line = text("tSummary", counts);
      if (counts.failed) line += " " + text("tSummaryFailed", counts);
      summary.textContent = line;
      summary.classList.toggle("has-problems", counts.refused + counts.failed > 0);
    } else {
      summary.textContent = "";
    }
  }

  /* ---- choosing files: the picker, or drag and drop (files and folders) ---- */

  function addFiles(files) {
    if (!files.length) return;
    for (var i = 0; i < files.length; i += 1) addFile(files[i]);
    pump();
  }

  input.addEventListener("change", function () {
    addFiles(Array.prototype.slice.call(input.files));
    input.value = "";  // choosing the same files again must start a new batch
  });

  function readEntry(entry, out) {
    if (entry.isFile) {
      return new Promise(function (resolve) {
        entry.file(function (file) {
          if (file.name.charAt(0) !== ".") out.push(file);  // .DS_Store and friends
          resolve();
        }, function () { resolve(); });
      });
    }
    if (!entry.isDirectory) return Promise.resolve();
    var reader = entry.createReader();
    return new Promise(function (resolve) {
      var pending = [];
      (function readBatch() {  // readEntries returns at most about 100 entries per call
        reader.readEntries(function (entries) {
          if (!entries.length) {
            Promise.all(pending).then(function () { resolve(); });
            return;
          }
          entries.forEach(function (child) { pending.push(readEntry(child, out)); });
          readBatch();
        }, function () { resolve(); });
      })();
    });
  }

  function dropped(event) {
    var transfer = event.dataTransfer;
    var entries = [];
    if (transfer.items && transfer.items.length && transfer.items[0].webkitGetAsEntry) {
      for (var i = 0; i < transfer.items.length; i += 1) {
        var entry = transfer.items[i].kind === "file" && transfer.items[i].webkitGetAsEntry();
        if (entry) entries.push(entry);
      }
    }
    if (!entries.length) {
      addFiles(Array.prototype.slice.call(transfer.files || []));
      return;
    }
    var files = [];
    Promise.all(entries.map(function (entry) { return readEntry(entry, files); })).then(function () {
      addFiles(files);
    });
  }

  var dragDepth = 0;
  document.addEventListener("dragenter", function (event) {
    if (!event.dataTransfer || Array.prototype.indexOf.call(event.dataTransfer.types, "Files") < 0) return;
    dragDepth += 1;
    dropzone.classList.add("is-dragging");
  });
  document.addEventListener("dragleave", function () {
    dragDepth = Math.max(0, dragDepth - 1);
    if (!dragDepth) dropzone.classList.remove("is-dragging");
  });
  // Anywhere on the page takes the drop, so a near miss never opens the photo in the tab instead.
  document.addEventListener("dragover", function (event) { event.preventDefault(); });
  document.addEventListener("drop", function (event) {
    event.preventDefault();
    dragDepth = 0;
    dropzone.classList.remove("is-dragging");
    dropped(event);
  });

  retryButton.addEventListener("click", function () {
    items.forEach(function (item) {
      if (item.state !== "failed") return;
      item.attempts = 0;
      item.warnings = [];
      setState(item, "waiting");
      queue.push(item);
    });
    pump();
  });

  onlyProblems.addEventListener("change", function () {
    list.classList.toggle("only-problems", onlyProblems.checked);
  });

  window.addEventListener("beforeunload", function (event) {
    if (active || queue.length || waitingRetry) {
      event.preventDefault();
      event.returnValue = text("tLeave");
      return event.returnValue;
    }
    return undefined;
  });
})();
