/* Drag-and-drop upload of one material, with a progress bar. No build step, no dependencies.
 * The type and size are checked here before sending (and again by the server, by content).
 * Without JavaScript the same form posts normally and the page reloads. */
(function () {
  "use strict";
  var forms = document.querySelectorAll("form.upload");
  Array.prototype.forEach.call(forms, function (form) {
    var input = form.querySelector("input[type=file]");
    var drop = form.querySelector(".drop");
    var bar = form.querySelector("progress");
    var status = form.querySelector("[role=status]");
    var errorBox = form.querySelector(".error");
    var fileName = form.closest(".material").querySelector(".file-name");
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
    var accept = (input.getAttribute("accept") || "").split(",");
    var button = form.querySelector("button[type=submit]");
    var msg = form.dataset;

    function showError(text) {
      errorBox.textContent = text;
      errorBox.hidden = false;
      input.setAttribute("aria-invalid", "true");
      status.textContent = "";
      bar.hidden = true;
    }
    function clearError() {
      errorBox.textContent = "";
      errorBox.hidden = true;
      input.removeAttribute("aria-invalid");
    }
    function check(file) {
      var dot = file.name.lastIndexOf(".");
      var ext = dot >= 0 ? file.name.slice(dot).toLowerCase() : "";
      if (accept.indexOf(ext) < 0) { return msg.msgType; }
      if (file.size === 0) { return msg.msgEmpty; }
      if (file.size > maxBytes) { return msg.msgSize; }
      return "";
    }
    function send(file) {
      clearError();
      var problem = check(file);
      if (problem) { showError(problem); return; }
      var data = new FormData(form);
      data.set("file", file);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "fetch");
      xhr.setRequestHeader("Accept", "application/json");
      bar.hidden = false;
      bar.value = 0;
      button.disabled = true;
      status.textContent = msg.msgUploading;
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { bar.value = Math.round((e.loaded / e.total) * 100); }
      });
      xhr.addEventListener("load", function () {
        button.disabled = false;
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
        if (xhr.status === 200 && body.ok) {
          bar.value = 100;
          status.textContent = msg.msgDone + " " + body.name;
          if (fileName) { fileName.textContent = body.name; fileName.className = "file-name status-ok"; }
          form.reset();
          form.dispatchEvent(new CustomEvent("uploaded", { bubbles: true }));
        } else {
          showError((body.errors || [msg.msgFailed]).join(" "));
        }
      });
      xhr.addEventListener("error", function () { button.disabled = false; showError(msg.msgFailed); });
      xhr.send(data);
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!input.files.length) { showError(msg.msgChoose); return; }
      send(input.files[0]);
    });
    input.addEventListener("change", function () { if (input.files.length) { send(input.files[0]); } });
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) { send(e.dataTransfer.files[0]); }
    });
  });
  /* A submit button is disabled once clicked, so a double click sends one request. */
  Array.prototype.forEach.call(document.querySelectorAll("form.once"), function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) { setTimeout(function () { button.disabled = true; }, 0); }
    });
  });
})();
