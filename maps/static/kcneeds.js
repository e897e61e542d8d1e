// The /needs page: shortlist, un-shortlist, decline (with a reason) and reconsider a need in
// its row, through PATCH /api/needs/{id} with If-Match (the row's version). The row is
// updated in place, with a message beside the buttons; text is only inserted as text.
(function () {
  "use strict";
  var table = document.getElementById("kc-needs");
  var island = document.getElementById("kc-need-statuses");
  if (!table || !island) { return; }
  var csrf = table.getAttribute("data-csrf") || "";
  var names = JSON.parse(island.textContent || "{}");
  var MOVES = {
    registered: [["shortlisted", "Chọn sơ bộ"], ["declined", "Không chọn…"]],
    shortlisted: [["registered", "Bỏ chọn sơ bộ"], ["declined", "Không chọn…"]],
    declined: [["registered", "Xét lại"]]
  };

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }

  function say(cell, text, error) {
    var box = cell.querySelector(".kc-need-message");
    if (!box) {
      box = el("p", "", "kc-need-message");
      box.setAttribute("role", error ? "alert" : "status");
      cell.appendChild(box);
    }
    box.textContent = text;
    box.className = "kc-need-message " + (error ? "kc-error" : "kc-ok");
  }

  function keepInView(row, cell) {
    var first = cell.querySelector("button");
    if (first) { first.focus(); }
    var box = row.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) { row.scrollIntoView({block: "nearest"}); }
  }

  function showRow(row, need) {
    row.setAttribute("data-version", String(need.version));
    row.setAttribute("data-status", need.status);
    row.querySelector(".kc-status-name").textContent = names[need.status] || need.status;
    row.querySelector(".kc-need-reason").textContent = need.decline_reason || "";
  }

  function send(row, cell, status, reason) {
    var body = {status: status};
    if (status === "declined") { body.decline_reason = reason; }
    var buttons = cell.querySelectorAll("button");
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    fetch("/api/needs/" + row.getAttribute("data-need"), {
      method: "PATCH", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf,
                "If-Match": '"' + row.getAttribute("data-version") + '"'},
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (r.ok) {
          showRow(row, data);
          draw(row, cell);
          say(cell, "Đã chuyển sang «" + (names[data.status] || data.status) + "».", false);
          keepInView(row, cell);
          return;
        }
        if (r.status === 409 && data.current) { showRow(row, data.current); }
        draw(row, cell);
        say(cell, data.detail ? String(data.detail) : "Lỗi " + r.status, true);
        keepInView(row, cell);
      });
    }).catch(function () {
      draw(row, cell);
      say(cell, "Không kết nối được máy chủ; thử lại sau.", true);
    });
  }

  function askReason(row, cell) {
    cell.textContent = "";
    var label = el("label", "Lý do không chọn (bắt buộc) ");
    var input = el("input");
    input.type = "text";
    input.maxLength = 1000;
    input.className = "kc-decline-reason";
    label.appendChild(input);
    cell.appendChild(label);
    var ok = el("button", "Xác nhận không chọn", "kc-decline-confirm");
    ok.type = "button";
    var cancel = el("button", "Huỷ", "kc-decline-cancel");
    cancel.type = "button";
    ok.addEventListener("click", function () {
      var reason = input.value.trim();
      if (!reason) { say(cell, "Cần ghi lý do không chọn nhu cầu này.", true); input.focus(); return; }
      send(row, cell, "declined", reason);
    });
    cancel.addEventListener("click", function () { draw(row, cell); keepInView(row, cell); });
    cell.appendChild(ok);
    cell.appendChild(document.createTextNode(" "));
    cell.appendChild(cancel);
    input.focus();
  }

  function draw(row, cell) {
    cell.textContent = "";
    (MOVES[row.getAttribute("data-status")] || []).forEach(function (move) {
      var b = el("button", move[1], "kc-need-move");
      b.type = "button";
      b.setAttribute("data-move", move[0]);
      b.addEventListener("click", function () {
        if (move[0] === "declined") { askReason(row, cell); } else { send(row, cell, move[0], ""); }
      });
      cell.appendChild(b);
      cell.appendChild(document.createTextNode(" "));
    });
  }

  Array.prototype.forEach.call(table.querySelectorAll("tr[data-need]"), function (row) {
    var cell = row.querySelector(".kc-need-actions[data-can-write]");
    if (cell) { draw(row, cell); }
  });
}());
