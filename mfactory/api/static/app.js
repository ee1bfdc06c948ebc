// Live cutover dashboard. No framework, no CDN: fetch + a small SSE reader.
// The API token lives in sessionStorage and goes out only as "Authorization: Bearer".
"use strict";
const KEY = "mfactory.token";
const $ = (id) => document.getElementById(id);
const streams = new Map();   // run id -> AbortController of its event stream
const latest = new Map();    // run id -> last progress document

function token() { return sessionStorage.getItem(KEY); }
function headers() { return { Authorization: "Bearer " + token() }; }

async function api(path) {
  const res = await fetch(path, { headers: headers(), cache: "no-store" });
  if (res.status === 401) { logout("token refused"); throw new Error("401"); }
  if (!res.ok) throw new Error(path + ": HTTP " + res.status);
  return res.json();
}

function logout(message) {
  sessionStorage.removeItem(KEY);
  for (const c of streams.values()) c.abort();
  streams.clear();
  $("board").hidden = true; $("login").hidden = false;
  $("login-error").textContent = message || "";
}

function bytes(n) {
  if (n === null || n === undefined) return "–";
  const u = ["B", "KiB", "MiB", "GiB", "TiB"]; let i = 0; let v = n;
  while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
  return (i ? v.toFixed(1) : v) + " " + u[i];
}
function rate(n) { return n ? bytes(n) + "/s" : "–"; }
function eta(s) {
  if (s === null || s === undefined) return "–";
  s = Math.round(s); if (s < 60) return s + " s";
  const m = Math.floor(s / 60); return m < 60 ? m + " min " + (s % 60) + " s" : Math.floor(m / 60) + " h " + (m % 60) + " min";
}
function pct(done, total) { return total ? Math.min(100, (100 * done) / total) : 0; }
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) { if (k === "class") e.className = v; else e.setAttribute(k, v); }
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(k === null || k === undefined ? "" : String(k)));
  return e;
}
function bar(done, total, p) {
  const b = el("span", { class: "bar " + (p || "") }); const i = el("i");
  i.style.width = pct(done, total).toFixed(1) + "%"; b.append(i); return b;
}
function phase(p) { return el("span", { class: "phase " + (p || "") }, p || "queued"); }

function renderRun(doc) {
  const id = "run-" + doc.run;
  let box = $(id);
  if (!box) { box = el("section", { class: "wave", id }); $("runs").prepend(box); }
  const t = doc.totals || {};
  const head = el("div", { class: "wave-head" },
    el("h2", {}, "Wave " + doc.wave),
    el("span", { class: "run-state" }, doc.state === "succeeded" && t.failed
      ? el("span", { class: "phase failed" }, "completed with failures") : phase(doc.state)),
    el("span", { class: "kpi" }, "VMs ", el("b", {}, (t.vms_done || 0) + "/" + (t.vms || 0))),
    el("span", { class: "kpi" }, "bytes ", el("b", { "data-bytes": String(t.bytes_done || 0), class: "total-bytes" }, bytes(t.bytes_done || 0)), " of ", bytes(t.bytes_total || 0)),
    el("span", { class: "kpi" }, "rate ", el("b", {}, rate(t.rate_bps))),
    el("span", { class: "kpi" }, "ETA ", el("b", {}, eta(t.eta_seconds))),
    el("span", { class: "kpi" }, "failures ", el("b", { class: "kpi-failures" }, String(t.failed || 0))),
    el("span", { class: "kpi" }, "run ", el("code", {}, doc.run.slice(0, 8))));
  const table = el("table", {},
    el("thead", {}, el("tr", {}, ...["VM", "phase", "progress", "bytes", "of", "rate", "ETA", "failures"].map((h) => el("th", {}, h)))));
  const body = el("tbody");
  for (const vm of doc.vms || []) {
    body.append(el("tr", { class: "vm", "data-vm": vm.id },
      el("td", {}, vm.name), el("td", {}, phase(vm.phase)), el("td", {}, bar(vm.bytes_done, vm.bytes_total, vm.phase)),
      el("td", { class: "num vm-bytes" }, bytes(vm.bytes_done)), el("td", { class: "num" }, bytes(vm.bytes_total)),
      el("td", { class: "num" }, rate(vm.rate_bps)), el("td", { class: "num" }, eta(vm.eta_seconds)),
      el("td", { class: "fail" }, vm.error || "")));
    for (const d of vm.disks || []) {
      body.append(el("tr", { class: "disk" },
        el("td", {}, "disk " + d.key), el("td", {}, phase(d.phase)), el("td", {}, bar(d.bytes_done, d.bytes_total, d.phase)),
        el("td", { class: "num" }, bytes(d.bytes_done)), el("td", { class: "num" }, bytes(d.bytes_total)),
        el("td", { class: "num" }, rate(d.rate_bps)), el("td", { class: "num" }, eta(d.eta_seconds)),
        el("td", { class: "fail" }, d.error || "")));
    }
  }
  table.append(body);
  box.replaceChildren(head, table);
}

async function follow(runId) {
  // Server-sent events over fetch, so the token travels in a header (EventSource cannot set one).
  const ctl = new AbortController(); streams.set(runId, ctl);
  try {
    const res = await fetch("/api/v1/cutover/runs/" + runId + "/events", { headers: headers(), signal: ctl.signal });
    if (!res.ok || !res.body) throw new Error("HTTP " + res.status);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += value;
      let cut;
      while ((cut = buf.indexOf("\n\n")) >= 0) {
        const block = buf.slice(0, cut); buf = buf.slice(cut + 2);
        const data = block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
        if (data) { const doc = JSON.parse(data); latest.set(runId, doc); renderRun(doc); }
      }
    }
  } catch (e) {
    if (e.name !== "AbortError") $("status").textContent = "stream for " + runId.slice(0, 8) + " interrupted; polling";
  } finally { streams.delete(runId); }
}

async function refresh() {
  if (!token()) return;
  try {
    const runs = await api("/api/v1/cutover/runs?limit=10");
    $("empty").hidden = runs.length > 0;
    for (const run of runs.slice().reverse()) {
      const active = run.state === "queued" || run.state === "running";
      if (active && !streams.has(run.id)) follow(run.id);
      if (!active && !streams.has(run.id)) {
        const prev = latest.get(run.id);
        if (!prev || prev.state !== run.state) {
          const doc = await api("/api/v1/cutover/runs/" + run.id + "/progress");
          latest.set(run.id, doc); renderRun(doc);
        }
      }
    }
    $("status").textContent = "updated " + new Date().toLocaleTimeString() + " · " + streams.size + " live stream(s)";
  } catch (e) { if (token()) $("status").textContent = "error: " + e.message; }
}

async function start() {
  try {
    const me = await api("/api/v1/whoami");
    $("who").textContent = "role: " + me.role;
  } catch (e) { return; }
  $("login").hidden = true; $("board").hidden = false;
  await refresh();
  setInterval(refresh, 2000);
}

$("login-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  sessionStorage.setItem(KEY, $("token").value.trim());
  $("token").value = "";
  start();
});
if (token()) start(); else $("login").hidden = false;
