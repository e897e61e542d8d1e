// The /imports page: upload a file to /api/imports, follow its progress, show the preview row
// by row, settle conflicts and ambiguous addresses, commit or undo. Text from files and the
// server is only ever inserted with textContent.
(function () {
  "use strict";
  var root = document.getElementById("kc-imports");
  if (!root) { return; }
  var csrf = root.getAttribute("data-csrf") || "";
  var fields = JSON.parse(document.getElementById("kc-fields").textContent || "{}");
  var labels = JSON.parse(document.getElementById("kc-field-labels").textContent || "{}");
  var STATUS = {accepted: "Nhận", rejected: "Loại", duplicate: "Trùng", skipped: "Bỏ qua",
                conflict: "Xung đột"};
  var ACTION = {"new": "thêm mới", update: "cập nhật", unchanged: "không đổi",
                conflict: "chờ quyết định"};
  var PRECISION = {exact: "chính xác", commune: "cấp xã", district: "cấp huyện",
                   province: "cấp tỉnh", none: "không có vị trí"};
  var BATCH = {running: "Đang đọc tệp", ready: "Chờ xác nhận",
               committing: "Đang ghi vào cơ sở dữ liệu", committed: "Đã nhập",
               undoing: "Đang hoàn tác", undone: "Đã hoàn tác", failed: "Lỗi"};
  var BUSY = {running: true, committing: true, undoing: true};
  var PAGE = 500;  // rows fetched at a time: a 100,000-row file is read a page at a time
  var MAX_PAGE = 5000;  // the most rows one answer gives
  var current = null;
  var mapping = {};
  var view = {status: "", limit: PAGE};

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function say(text, error) {
    var box = $("kc-message");
    box.textContent = text || "";
    box.className = error ? "kc-error" : "kc-ok";
  }
  function api(method, url, body) {
    var init = {method: method, credentials: "same-origin", headers: {"X-CSRF-Token": csrf}};
    if (body instanceof FormData) { init.body = body; }
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers["Content-Type"] = "application/json";
    }
    return fetch(url, init).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) { throw new Error(data.detail ? String(data.detail) : "Lỗi " + r.status); }
        return data;
      });
    });
  }

  function upload(withMapping) {
    var file = $("kc-file").files[0];
    if (!file) { say("Hãy chọn một tệp", true); return; }
    var form = new FormData();
    form.append("file", file);
    form.append("kind", $("kc-kind").value);
    if ($("kc-sheet").value) { form.append("sheet", $("kc-sheet").value); }
    if ($("kc-mapping-name").value) { form.append("mapping_name", $("kc-mapping-name").value); }
    if (withMapping && Object.keys(mapping).length) { form.append("mapping", JSON.stringify(mapping)); }
    say("Đang gửi tệp…");
    $("kc-progress-box").hidden = false;
    $("kc-progress").value = 0;
    var save = $("kc-mapping-save").value.trim();
    var saved = withMapping && save && Object.keys(mapping).length
      ? api("POST", "/api/import-mappings", {name: save, kind: $("kc-kind").value, mapping: mapping})
      : Promise.resolve(null);
    saved.then(function () { return api("POST", "/api/imports", form); })
      .then(function (started) { follow(started.id); })
      .catch(function (e) { $("kc-progress-box").hidden = true; say(e.message, true); });
  }

  // The batch with `limit` of its rows from `offset`, of the statuses in view.
  function rowsPage(id, offset, limit) {
    var q = "?limit=" + limit + (offset ? "&offset=" + offset : "");
    if (limit && view.status) {
      view.status.split(",").forEach(function (s) { q += "&status=" + encodeURIComponent(s); });
    }
    return api("GET", "/api/imports/" + encodeURIComponent(id) + q);
  }

  // The batch with the rows in view (filter, how many), or with none (progress only).
  function detail(id, rows) { return rowsPage(id, 0, rows ? view.limit : 0); }

  // Poll a batch (without its rows) while a background job reads, commits or undoes it;
  // then show it with the rows in view and hand it to `done` (if given).
  function follow(id, done) {
    detail(id, false).then(function (batch) {
      $("kc-progress").value = batch.progress;
      $("kc-progress-text").textContent = (BATCH[batch.status] || "") + " "
        + Math.round(batch.progress * 100) + " %";
      if (BUSY[batch.status]) { window.setTimeout(function () { follow(id, done); }, 700); return null; }
      return detail(id, true).then(function (full) {
        $("kc-progress-box").hidden = true;
        show(full);
        if (done) { done(full); }
      });
    }).catch(function (e) { $("kc-progress-box").hidden = true; say(e.message, true); });
  }

  // Commit or undo: the server answers 202 at once and writes in the background.
  function write(action, finished, body) {
    if (!current) { return; }
    var id = current.id;
    $("kc-commit").hidden = true;
    $("kc-undo").hidden = true;
    $("kc-progress-box").hidden = false;
    $("kc-progress").value = 0;
    api("POST", "/api/imports/" + id + "/" + action, body)
      .then(function () { say(action === "commit" ? "Đang ghi lô " + id + "…" : "Đang hoàn tác lô " + id + "…"); follow(id, finished); })
      .catch(function (e) { $("kc-progress-box").hidden = true; show(current); say(e.message, true); });
  }

  function cell(tr, text) { tr.appendChild(el("td", text)); }
  function fieldWord(kind, name) { return (labels[kind] || {})[name] || name; }

  function showColumns(batch) {
    var body = $("kc-columns").tBodies[0];
    body.textContent = "";
    var unknown = (batch.columns || []).filter(function (c) { return !c.field; });
    $("kc-columns-box").hidden = unknown.length === 0;
    unknown.forEach(function (c) {
      var tr = el("tr");
      cell(tr, c.column);
      cell(tr, c.header);
      var td = el("td");
      var select = el("select");
      select.appendChild(el("option", "(không dùng)")).value = "";
      (fields[batch.kind] || []).forEach(function (f) {
        select.appendChild(el("option", fieldWord(batch.kind, f) + " (" + f + ")")).value = f;
      });
      select.value = mapping[c.header] || "";
      select.addEventListener("change", function () {
        if (select.value) { mapping[c.header] = select.value; } else { delete mapping[c.header]; }
      });
      td.appendChild(select);
      tr.appendChild(td);
      body.appendChild(tr);
    });
    var sheets = batch.sheets || [];
    var chooser = $("kc-sheet");
    if (sheets.length > 1 && chooser.options.length <= 1) {
      sheets.forEach(function (s) { chooser.appendChild(el("option", s)).value = s; });
    }
  }

  function decisionCell(batch, row) {
    var td = el("td");
    if (batch.status !== "ready") { return td; }
    (row.conflicts || []).forEach(function (c) {
      var box = el("div");
      box.appendChild(el("span", fieldWord(batch.kind, c.field) + ": tệp «" + JSON.stringify(c.file) + "», đã sửa «"
        + JSON.stringify(c.current) + "» "));
      if (c.decided) { box.appendChild(el("strong", c.decided === "file" ? "lấy giá trị trong tệp" : "giữ giá trị đã sửa")); }
      ["file", "keep"].forEach(function (choice) {
        var b = el("button", choice === "file" ? "Lấy giá trị trong tệp" : "Giữ giá trị đã sửa");
        b.type = "button";
        b.addEventListener("click", function () {
          api("POST", "/api/imports/" + batch.id + "/rows/" + row.row + "/decision",
              {field: c.field, choice: choice}).then(function () { follow(batch.id); })
            .catch(function (e) { say(e.message, true); });
        });
        box.appendChild(b);
      });
      td.appendChild(box);
    });
    if ((row.candidates || []).length) {
      var select = el("select");
      row.candidates.forEach(function (c) {
        if (c.edition === "legacy") { select.appendChild(el("option", c.name + " (" + c.code + ")")).value = c.code; }
      });
      var pick = el("button", "Chọn xã");
      pick.type = "button";
      pick.addEventListener("click", function () {
        api("POST", "/api/imports/" + batch.id + "/rows/" + row.row + "/commune",
            {commune_code: select.value}).then(function () { follow(batch.id); })
          .catch(function (e) { say(e.message, true); });
      });
      td.appendChild(select);
      td.appendChild(pick);
    }
    return td;
  }

  function show(batch) {
    current = batch;
    if (batch.status === "failed") {
      say(batch.message || "Không đọc được tệp", true);
      $("kc-preview-box").hidden = true;
      showColumns(batch);  // a required column not recognised: map it and read again
      return;
    }
    if (batch.message) { say(batch.message, true); } else { say(""); }
    showColumns(batch);
    $("kc-preview-box").hidden = false;
    $("kc-batch-title").textContent = "lô " + batch.id + " – " + batch.file + " – " + (BATCH[batch.status] || batch.status);
    var s = batch.summary || {};
    var a = s.actions || {};
    $("kc-summary").textContent = (s.total || 0) + " dòng: " + (s.accepted || 0) + " nhận, "
      + (s.rejected || 0) + " loại, " + (s.duplicate || 0) + " trùng, " + (s.skipped || 0)
      + " bỏ qua, " + (s.conflict || 0) + " xung đột. Bản ghi: " + (a["new"] || 0) + " thêm mới, "
      + (a.update || 0) + " cập nhật, " + (a.unchanged || 0) + " không đổi.";
    $("kc-conversions").textContent = (batch.conversions || []).map(function (c) {
      return "Cột " + c.column + " (" + c.header + "): đã chuyển từ " + c.encoding + " sang Unicode";
    }).join("; ");
    var absent = batch.absent || {count: 0};
    var archived = (batch.summary && batch.summary.written && batch.summary.written.archived) || 0;
    $("kc-absent").textContent = archived ? archived + " bản ghi không còn trong tệp đã được lưu trữ (không bị xóa)."
      : absent.count ? absent.count + " bản ghi của lần nhập trước từ tệp này không còn trong tệp (không bị xóa)." : "";
    $("kc-archive-box").hidden = !(absent.count && batch.status === "ready");
    $("kc-archive-absent").checked = Boolean(batch.archive_absent);
    $("kc-commit").hidden = batch.status !== "ready";
    $("kc-undo").hidden = batch.status !== "committed";
    $("kc-rows").tBodies[0].textContent = "";
    appendRows(batch, batch.rows || []);
  }

  // Rows under those shown; the count and the "more" button follow.
  function appendRows(batch, rows) {
    var body = $("kc-rows").tBodies[0];
    rows.forEach(function (row) {
      var tr = el("tr", null, "kc-row-" + row.status);
      tr.setAttribute("data-row", row.row);
      cell(tr, row.row);
      cell(tr, (STATUS[row.status] || row.status) + (row.action ? " (" + (ACTION[row.action] || row.action) + ")" : ""));
      cell(tr, row.name || "");
      cell(tr, [row.commune_code, row.district_code].filter(Boolean).join(" / "));
      cell(tr, PRECISION[row.precision] || "");
      var notes = (row.issues || []).map(function (i) {
        return (i.column || fieldWord(batch.kind, i.field)) + ": " + i.message;
      });
      if ((row.kept || []).length) {
        notes.push("giữ giá trị cán bộ đã sửa: " + row.kept.map(function (f) { return fieldWord(batch.kind, f); }).join(", "));
      }
      cell(tr, notes.join("; "));
      tr.appendChild(decisionCell(batch, row));
      body.appendChild(tr);
    });
    var shown = body.rows.length;
    var total = batch.rows_total || 0;
    view.limit = Math.max(PAGE, Math.min(shown, MAX_PAGE));  // a refresh keeps what is shown
    $("kc-rows-count").textContent = shown < total ? "(" + shown + " / " + total + " dòng)"
      : "(" + total + " dòng)";
    $("kc-more").hidden = shown >= total;
  }

  $("kc-row-filter").addEventListener("change", function () {
    view = {status: $("kc-row-filter").value, limit: PAGE};
    if (current) { follow(current.id); }
  });
  $("kc-more").addEventListener("click", function () {
    if (!current) { return; }
    var batch = current;
    rowsPage(batch.id, $("kc-rows").tBodies[0].rows.length, PAGE).then(function (page) {
      if (current === batch) { appendRows(batch, page.rows || []); }
    }).catch(function (e) { say(e.message, true); });
  });
  $("kc-upload").addEventListener("submit", function (ev) { ev.preventDefault(); upload(false); });
  $("kc-reread").addEventListener("click", function () { upload(true); });
  $("kc-file").addEventListener("change", function () {
    var chooser = $("kc-sheet");
    while (chooser.options.length > 1) { chooser.remove(1); }
    mapping = {};
  });
  $("kc-commit").addEventListener("click", function () {
    write("commit", function (b) {
      if (b.status !== "committed") { return; }
      var w = (b.summary || {}).written || {};
      say("Đã nhập lô " + b.id + ": " + (w.inserted || 0) + " thêm mới, " + (w.updated || 0)
        + " cập nhật, " + (w.unchanged || 0) + " không đổi, " + (w.archived || 0) + " lưu trữ"
        + (w.archived ? " (bản ghi không còn trong tệp)." : "."));
    }, {keep_undecided: false, archive_absent: $("kc-archive-absent").checked});
  });
  $("kc-undo").addEventListener("click", function () {
    write("undo", function (b) {
      if (b.status !== "undone") { return; }
      var u = (b.summary || {}).undo || {};
      say("Đã hoàn tác lô " + b.id + ": " + (u.removed || 0) + " bản ghi bị gỡ, "
        + (u.restored || 0) + " bản ghi trở lại như trước.");
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll(".kc-open"), function (a) {
    a.addEventListener("click", function (ev) { ev.preventDefault(); follow(a.getAttribute("data-id")); });
  });
}());
