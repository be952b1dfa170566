// virtflux's operations console: hosts and their lanes (polled), operations and VM events live
// from the event stream. The stream is read with fetch (EventSource can't send the bearer token)
// and resumed with Last-Event-ID after a drop, so nothing is missed.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { token: sessionStorage.getItem("virtflux.token") || "", lastId: null, abort: null, hostsTimer: null };
const operations = new Map();

function api(path, init = {}) {
  return fetch(path, { ...init, headers: { ...(init.headers || {}), Authorization: "Bearer " + state.token } });
}

function cell(text, cls) {
  const td = document.createElement("td");
  td.textContent = text == null ? "" : String(text);
  if (cls) td.className = cls;
  return td;
}

function row(cells, id) {
  const tr = document.createElement("tr");
  if (id) tr.id = id;
  cells.forEach((c) => tr.appendChild(c));
  return tr;
}

async function refreshHosts() {
  const res = await api("/api/v1/hosts");
  if (!res.ok) { $("status").textContent = "hosts: HTTP " + res.status; return; }
  const hosts = await res.json();
  const body = $("hosts").tBodies[0];
  body.replaceChildren(...hosts.map((h) => row([
    cell(h.name), cell(h.state, "state-" + h.state), cell(h.lane.running), cell(h.lane.queued),
    cell(h.lane.limit), cell(h.vms), cell(h.libvirtVersion)], "host-" + h.name)));
  const filter = $("host-filter");
  const known = new Set([...filter.options].map((o) => o.value));
  hosts.filter((h) => !known.has(h.name)).forEach((h) => filter.add(new Option(h.name, h.name)));
}

function showOperation(op) {
  operations.set(op.id, op);
  const detail = op.error ? (op.error.title + ": " + (op.error.detail || ""))
      : op.progress ? JSON.stringify(op.progress) : op.result ? JSON.stringify(op.result) : "";
  const tr = row([
    cell(op.id.slice(0, 8)), cell(op.kind), cell(op.target.vm), cell(op.target.hosts.join(", ")),
    cell(op.phase, "phase-" + op.phase), cell(detail, "detail"),
    cell(op.finishedAt || op.startedAt || op.createdAt)], "op-" + op.id);
  tr.dataset.vm = op.target.vm || "";
  tr.dataset.phase = op.phase;
  const old = $("op-" + op.id);
  const body = $("operations").tBodies[0];
  if (old) old.replaceWith(tr); else body.insertBefore(tr, body.firstChild);
  while (body.rows.length > 200) body.deleteRow(-1);
}

function showVmEvent(e) {
  const body = $("vm-events").tBodies[0];
  body.insertBefore(row([cell(e.at), cell(e.host), cell(e.vm), cell(e.event), cell(e.detail)]), body.firstChild);
  while (body.rows.length > 100) body.deleteRow(-1);
}

function dispatch(event, data, id) {
  if (id) state.lastId = id;
  if (!data) return;
  const value = JSON.parse(data);
  if (event === "operation") showOperation(value);
  else if (event === "vm") showVmEvent(value);
}

// Reads one server-sent-events stream to its end; resolves when it ends or fails.
async function stream() {
  const host = $("host-filter").value;
  const query = host ? "?host=" + encodeURIComponent(host) : "";
  const headers = { Accept: "text/event-stream" };
  if (state.lastId) headers["Last-Event-ID"] = state.lastId;
  state.abort = new AbortController();
  const res = await api("/api/v1/events" + query, { headers, signal: state.abort.signal });
  if (!res.ok) throw new Error("events: HTTP " + res.status);
  $("status").textContent = "connected" + (host ? " (" + host + ")" : "");
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message", data = "", id = null;
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data += line.slice(5).trim();
        else if (line.startsWith("id:")) id = line.slice(3).trim();
      }
      dispatch(event, data, id);
    }
  }
}

async function follow() {
  for (;;) {
    try {
      await stream();
    } catch (e) {
      if (e.name === "AbortError") return;
      $("status").textContent = "reconnecting: " + e.message;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function loadRecent() {
  const host = $("host-filter").value;
  const res = await api("/api/v1/operations?size=50" + (host ? "&host=" + encodeURIComponent(host) : ""));
  if (!res.ok) return;
  const page = await res.json();
  page.items.slice().reverse().forEach(showOperation);
}

async function connect() {
  if (state.abort) state.abort.abort();
  clearInterval(state.hostsTimer);
  $("operations").tBodies[0].replaceChildren();
  state.lastId = null;
  await refreshHosts();
  await loadRecent();
  state.hostsTimer = setInterval(refreshHosts, 5000);
  follow();
}

$("login").addEventListener("submit", (e) => {
  e.preventDefault();
  state.token = $("token").value.trim();
  sessionStorage.setItem("virtflux.token", state.token);
  connect();
});
$("host-filter").addEventListener("change", () => state.token && connect());
if (state.token) { $("token").value = state.token; connect(); }
