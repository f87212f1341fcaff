// Reviewer page: score a pasted text or an uploaded file, show verdict, scores, reasons and highlighted
// evidence, compose the return note, send feedback. Vanilla JS, no build step, no network beyond this server.
"use strict";

const LABELS = { vague: "Chung chung", position: "Quan điểm", proposal: "Đề xuất cụ thể" };
// what "label present" means for the reviewer, and whether that is good
const STATES = {
  vague: { true: ["Chung chung", false], false: ["Cụ thể", true] },
  position: { true: ["Có quan điểm", true], false: ["Chưa có quan điểm", false] },
  proposal: { true: ["Có đề xuất cụ thể", true], false: ["Chưa có đề xuất cụ thể", false] },
};
const VERDICTS = {
  dat: ["Đạt", "Đủ điều kiện chuyển lãnh đạo."],
  can_bo_sung: ["Cần bổ sung", "Trả lại cơ quan trình kèm lý do."],
  danh_trong_ghi_ten: ["“Đánh trống ghi tên”", "Không có quan điểm, không có đề xuất: báo cáo chỉ để có tên."],
};
const DOC_TYPES = { bao_cao: "Báo cáo", to_trinh: "Tờ trình", cong_van: "Công văn" };
const KEY_STORE = "baocao.apiKey";

const state = { text: null, id: null, result: null, thresholds: null, retry: null };
const $ = (id) => document.getElementById(id);

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error && body.error.message) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

function headers(extra) {
  const h = Object.assign({}, extra || {});
  const key = sessionStorage.getItem(KEY_STORE);
  if (key) h["X-API-Key"] = key;
  return h;
}

async function api(path, { method = "GET", json, form, blob = false } = {}) {
  const init = { method, headers: headers(json !== undefined ? { "Content-Type": "application/json" } : {}) };
  if (json !== undefined) init.body = JSON.stringify(json);
  if (form) init.body = form;
  let res;
  try {
    res = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, null);
  }
  if (!res.ok) {
    let body = null;
    try { body = await res.json(); } catch (_) { /* not JSON */ }
    throw new ApiError(res.status, body);
  }
  if (blob) return { blob: await res.blob(), disposition: res.headers.get("Content-Disposition") || "" };
  return res.json();
}

// ---- messages ------------------------------------------------------------------------------------------------

function describeError(err) {
  const server = err.body && err.body.error ? err.body.error.message : "";
  switch (err.status) {
    case -1: return ["Đã có lỗi trên trang.", "Tải lại trang rồi thử lại."];
    case 0: return ["Không kết nối được máy chủ.", "Kiểm tra mạng hoặc máy chủ rồi thử lại."];
    case 401: return ["Cần khóa API.", "Máy chủ yêu cầu khóa API. Nhập khóa ở ô “Khóa API” rồi thử lại."];
    case 413: return ["Văn bản hoặc tệp quá lớn.", server];
    case 415: return ["Định dạng tệp không được hỗ trợ.", (server ? server + " " : "") + "Chỉ nhận .txt, .docx và .pdf có lớp chữ."];
    case 422: return ["Không chấm được văn bản.", server];
    case 503: return ["Dịch vụ chưa sẵn sàng.", server || "Mô hình chưa được tải."];
    default: return [`Lỗi máy chủ (mã ${err.status}).`, server || "Hãy thử lại hoặc báo quản trị."];
  }
}

function showError(err, retry) {
  const box = $("error");
  if (!(err instanceof ApiError)) { console.error(err); err = new ApiError(-1, null); }
  const [title, detail] = describeError(err);
  box.replaceChildren();
  const strong = document.createElement("strong");
  strong.textContent = title;
  box.append(strong);
  if (detail) box.append(detail);
  box.hidden = false;
  if (err.status === 401) {
    state.retry = retry || null;
    $("key-panel").hidden = false;
    $("api-key").focus();
  }
}

// a failed scoring must not leave the previous document's result on screen as if it were this one's
function scoringFailed(err, retry) {
  $("status").textContent = "";
  $("results").hidden = true;
  state.result = null;
  state.text = null;
  showError(err, retry);
}

function clearError() { $("error").hidden = true; $("error").replaceChildren(); }

function pct(x) { return `${Math.round(x * 100)}%`; }

function formatDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  return m ? `${Number(m[3])}/${Number(m[2])}/${m[1]}` : iso;  // 14/7/2023, as the return note cites it
}

// ---- rendering ------------------------------------------------------------------------------------------------

function renderVerdict(result) {
  const [short, long] = VERDICTS[result.verdict];
  const badge = $("verdict");
  badge.textContent = short;
  badge.className = `badge v-${result.verdict}`;
  $("verdict-text").textContent = long;
}

function renderBars(result) {
  const box = $("bars");
  box.replaceChildren();
  for (const label of Object.keys(LABELS)) {
    const score = result.scores[label];
    const [stateText, good] = STATES[label][result.labels[label]];
    const row = document.createElement("div");
    row.className = `bar bar-${label}`;
    row.dataset.label = label;
    const head = document.createElement("div");
    head.className = "bar-head";
    const name = document.createElement("span");
    name.className = "bar-name";
    name.id = `bar-name-${label}`;
    name.textContent = LABELS[label];
    const st = document.createElement("span");
    st.className = `bar-state ${good ? "good" : "bad"}`;
    st.textContent = `${good ? "✓" : "✗"} ${stateText}`;
    head.append(name, st);
    const track = document.createElement("div");
    track.className = "track";
    track.setAttribute("role", "meter");
    track.setAttribute("aria-labelledby", name.id);
    track.setAttribute("aria-valuemin", "0");
    track.setAttribute("aria-valuemax", "100");
    track.setAttribute("aria-valuenow", String(Math.round(score * 100)));
    track.setAttribute("aria-valuetext", `${pct(score)}, ${stateText}`);
    const fill = document.createElement("div");
    fill.className = "fill";
    fill.style.width = `${(score * 100).toFixed(2)}%`;
    fill.dataset.score = String(score);
    track.append(fill);
    const foot = document.createElement("div");
    foot.className = "bar-foot";
    const value = document.createElement("span");
    value.className = "bar-value";
    value.textContent = `Điểm ${pct(score)}`;
    foot.append(value);
    const t = state.thresholds && state.thresholds[label];
    if (typeof t === "number") {
      const mark = document.createElement("span");
      mark.className = "threshold";
      mark.style.left = `${(t * 100).toFixed(2)}%`;
      mark.title = `Ngưỡng ${pct(t)}`;
      track.append(mark);
      const tt = document.createElement("span");
      tt.textContent = `Ngưỡng ${pct(t)}`;
      foot.append(tt);
    }
    row.append(head, track, foot);
    box.append(row);
  }
}

function renderMeta(meta, source) {
  const dl = $("meta");
  dl.replaceChildren();
  const rows = [
    ["Cơ quan", meta.agency],
    ["Số, ký hiệu", meta.number],
    ["Ngày", formatDate(meta.date)],
    ["Loại văn bản", DOC_TYPES[meta.doc_type] || meta.doc_type],
    ["Trích yếu", meta.subject],
  ];
  for (const [k, v] of rows) {
    const dt = document.createElement("dt");
    dt.textContent = k;
    const dd = document.createElement("dd");
    if (v) dd.textContent = v;
    else { dd.textContent = "không xác định"; dd.className = "unknown"; }
    dl.append(dt, dd);
  }
  $("source").textContent = source || "";
}

function renderReasons(result) {
  const ul = $("reasons");
  ul.replaceChildren();
  if (!result.reasons.length) {
    const li = document.createElement("li");
    li.className = "none";
    li.textContent = "Không có nội dung cần bổ sung.";
    ul.append(li);
  }
  for (const r of result.reasons) {
    const li = document.createElement("li");
    li.textContent = r;
    ul.append(li);
  }
}

function evidenceTip(e) {
  let s = `${LABELS[e.label]} — điểm câu ${pct(e.score)}`;
  if (e.label === "vague") s += e.missing && e.missing.length ? `; thiếu: ${e.missing.join(", ")}` : "";
  return s;
}

// Offsets count Unicode code points (Python str indices); Array.from splits the text the same way.
function renderDocument(text, evidence) {
  const box = $("document");
  box.replaceChildren();
  const cps = Array.from(text);
  const groups = new Map();
  for (const e of evidence) {
    const key = `${e.start}:${e.end}`;
    if (!groups.has(key)) groups.set(key, { start: e.start, end: e.end, items: [] });
    groups.get(key).items.push(e);
  }
  const spans = [...groups.values()].sort((a, b) => a.start - b.start || b.end - a.end);
  let pos = 0;
  for (const g of spans) {
    if (g.start < pos || g.end > cps.length || g.start >= g.end) continue;  // sentences never overlap; be safe
    box.append(cps.slice(pos, g.start).join(""));
    const mark = document.createElement("mark");
    mark.className = "ev " + g.items.map((e) => `ev-${e.label}`).join(" ");
    mark.tabIndex = 0;
    const tip = g.items.map(evidenceTip).join("\n");
    const sentence = cps.slice(g.start, g.end).join("");
    mark.textContent = sentence;
    mark.title = tip;
    mark.dataset.tip = tip;
    mark.setAttribute("aria-label", `${tip.replace(/\n/g, ". ")}. Câu: ${sentence}`);
    box.append(mark);
    pos = g.end;
  }
  box.append(cps.slice(pos).join(""));
}

function showTip(mark) {
  const tip = $("tip");
  tip.textContent = mark.dataset.tip;
  tip.hidden = false;
  const r = mark.getBoundingClientRect();
  const top = window.scrollY + r.bottom + 6;
  const left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8));
  tip.style.top = `${top}px`;
  tip.style.left = `${left}px`;
  mark.setAttribute("aria-describedby", "tip");
  // title duplicates the tooltip for pointer users without it; hide it while ours is shown
  mark.dataset.title = mark.title;
  mark.removeAttribute("title");
}

function hideTip(mark) {
  $("tip").hidden = true;
  if (mark) {
    mark.removeAttribute("aria-describedby");
    if (mark.dataset.title) mark.title = mark.dataset.title;
  }
}

function renderResult(result, text, source) {
  state.result = result;
  state.text = text;
  renderVerdict(result);
  renderBars(result);
  renderMeta(result.meta, source);
  renderReasons(result);
  renderDocument(text, result.evidence);
  for (const label of Object.keys(LABELS)) $(`fb-${label}`).checked = !!result.labels[label];
  $("feedback-status").textContent = "";
  $("note-area").hidden = true;
  $("note-text").value = "";
  $("results").hidden = false;
  const [short] = VERDICTS[result.verdict];
  $("status").textContent = `Đã chấm. Kết luận: ${short}. ` + Object.keys(LABELS)
    .map((l) => `${LABELS[l]} ${pct(result.scores[l])}`).join(", ") + ".";
}

// ---- actions -------------------------------------------------------------------------------------------------

async function busy(button, label, work) {
  const old = button.textContent;
  button.disabled = true;
  button.textContent = label;
  $("results").setAttribute("aria-busy", "true");
  try { return await work(); } finally {
    button.disabled = false;
    button.textContent = old;
    $("results").removeAttribute("aria-busy");
  }
}

async function scoreText() {
  const text = $("doc-text").value;
  const id = $("doc-id").value.trim() || null;
  clearError();
  if (!text.trim()) {
    showError(new ApiError(422, { error: { message: "Hãy dán nội dung văn bản vào ô trên." } }));
    $("doc-text").focus();
    return;
  }
  $("status").textContent = "Đang chấm…";
  try {
    const result = await busy($("score-text"), "Đang chấm…", () => api("/v1/score", { method: "POST", json: { text, id } }));
    state.id = id;
    // pasted TCVN3/VNI text comes back repaired: the evidence offsets index the repaired text
    const repaired = typeof result.text === "string";
    renderResult(result, repaired ? result.text : text, repaired
      ? `Nguồn: nội dung dán vào ô nhập, đã chuyển mã ${result.meta.conversion === "vni" ? "VNI" : "TCVN3 (ABC)"} sang Unicode.`
      : "Nguồn: nội dung dán vào ô nhập.");
  } catch (err) { scoringFailed(err, scoreText); }
}

async function scoreFile() {
  const input = $("doc-file");
  const file = input.files && input.files[0];
  clearError();
  if (!file) return;
  const form = new FormData();
  form.append("file", file, file.name);
  $("status").textContent = "Đang đọc và chấm tệp…";
  try {
    const out = await busy($("score-file"), "Đang chấm…", () => api("/v1/score/file", { method: "POST", form }));
    const d = out.document;
    state.id = d.filename;
    let source = `Nguồn: tệp ${d.filename} (${d.format}${d.encoding ? ", " + d.encoding : ""}, ${d.chars.toLocaleString("vi-VN")} ký tự).`;
    if (d.conversion) source += ` ${d.conversion}`;
    renderResult(out.result, d.text, source);
  } catch (err) { scoringFailed(err, scoreFile); }
}

async function makeNote() {
  if (state.text === null) return;
  clearError();
  try {
    const note = await busy($("make-note"), "Đang soạn…", () =>
      api("/v1/return-note", { method: "POST", json: { text: state.text, id: state.id } }));
    $("note-text").value = note.text;
    $("note-status").textContent = note.needed
      ? "Đã soạn phiếu. Kiểm tra, sửa nếu cần, rồi sao chép hoặc tải về."
      : "Văn bản đạt yêu cầu: không có nội dung cần đề nghị bổ sung.";
    $("note-area").hidden = false;
    $("note-text").focus();
  } catch (err) { showError(err, makeNote); }
}

async function copyNote() {
  const area = $("note-text");
  try {
    if (navigator.clipboard && window.isSecureContext) await navigator.clipboard.writeText(area.value);
    else { area.select(); if (!document.execCommand("copy")) throw new Error("copy refused"); }
    $("copy-status").textContent = "Đã sao chép.";
  } catch (_) {
    area.select();
    $("copy-status").textContent = "Không sao chép tự động được; nội dung đã được chọn, nhấn Ctrl+C.";
  }
}

function filenameFrom(disposition) {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1] : "phieu-de-nghi-bo-sung.docx";
}

async function downloadNote() {
  clearError();
  try {
    const out = await busy($("docx-note"), "Đang tạo tệp…", () => api("/v1/return-note?format=docx", {
      method: "POST", blob: true, json: { text: state.text, id: state.id, note_text: $("note-text").value },
    }));
    const url = URL.createObjectURL(out.blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = filenameFrom(out.disposition);
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    $("copy-status").textContent = `Đã tải ${a.download}.`;
  } catch (err) { showError(err, downloadNote); }
}

async function sendFeedback() {
  const r = state.result;
  if (!r) return;
  clearError();
  const corrected = {};
  for (const label of Object.keys(LABELS)) corrected[label] = $(`fb-${label}`).checked;
  const body = {
    document_id: state.id || `trang-duyet-${Date.now().toString(36)}`,
    text: state.text,
    model_version: r.model_version,
    predicted: r.labels,
    corrected,
    comment: $("fb-comment").value.trim() || null,
    reviewer: $("fb-reviewer").value.trim() || null,
  };
  try {
    const out = await busy($("send-feedback"), "Đang gửi…", () => api("/v1/feedback", { method: "POST", json: body }));
    const changed = Object.keys(LABELS).filter((l) => corrected[l] !== !!r.labels[l]).map((l) => LABELS[l]);
    $("feedback-status").textContent = `Đã ghi nhận phản hồi (số ${out.id}). ` +
      (changed.length ? `Nhãn đã sửa: ${changed.join(", ")}.` : "Xác nhận nhãn của mô hình là đúng.");
  } catch (err) { showError(err, sendFeedback); }
}

async function loadModel() {
  try {
    const card = await api("/v1/model");
    state.thresholds = card.thresholds || null;
    $("model-info").textContent = `Mô hình ${card.model_version}`;
    if (state.result) renderBars(state.result);
  } catch (err) {
    if (err.status === 401) showError(err, loadModel);
  }
}

function init() {
  $("text-form").addEventListener("submit", (ev) => { ev.preventDefault(); scoreText(); });
  $("file-form").addEventListener("submit", (ev) => { ev.preventDefault(); scoreFile(); });
  $("doc-file").addEventListener("change", () => {
    const file = $("doc-file").files[0];
    $("score-file").disabled = !file;
    $("file-name").textContent = file ? `${file.name} (${Math.ceil(file.size / 1024).toLocaleString("vi-VN")} KB)` : "Chưa chọn tệp";
    $("file-name").classList.toggle("chosen", !!file);
  });
  $("doc-text").addEventListener("keydown", (ev) => {
    if ((ev.ctrlKey || ev.metaKey) && ev.key === "Enter") { ev.preventDefault(); scoreText(); }
  });
  $("key-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(KEY_STORE, $("api-key").value.trim());
    $("key-panel").hidden = true;
    clearError();
    const retry = state.retry;
    state.retry = null;
    if (!state.thresholds) loadModel();
    if (retry && retry !== loadModel) retry();
  });
  $("make-note").addEventListener("click", makeNote);
  $("copy-note").addEventListener("click", copyNote);
  $("docx-note").addEventListener("click", downloadNote);
  $("feedback-form").addEventListener("submit", (ev) => { ev.preventDefault(); sendFeedback(); });
  const doc = $("document");
  doc.addEventListener("focusin", (ev) => { if (ev.target.matches("mark.ev")) showTip(ev.target); });
  doc.addEventListener("focusout", (ev) => { if (ev.target.matches("mark.ev")) hideTip(ev.target); });
  doc.addEventListener("mouseover", (ev) => { const m = ev.target.closest("mark.ev"); if (m) showTip(m); });
  doc.addEventListener("mouseout", (ev) => { const m = ev.target.closest("mark.ev"); if (m && m !== document.activeElement) hideTip(m); });
  doc.addEventListener("keydown", (ev) => { if (ev.key === "Escape") hideTip(document.activeElement); });
  if (sessionStorage.getItem(KEY_STORE)) $("api-key").value = sessionStorage.getItem(KEY_STORE);
  loadModel();
}

document.addEventListener("DOMContentLoaded", init);
