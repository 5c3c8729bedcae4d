// The AkkaExchange dashboard: polls this node's read-only dashboard API, follows one symbol's book over the public
// market-data WebSocket, and sends the operator's actions to the admin API with the key typed in (kept for this tab
// only). Plain DOM and SVG: nothing to build. Data is written with textContent, never parsed as HTML.
"use strict";

const palette = ["#1f6feb", "#d1242f", "#1a7f37", "#8250df", "#bf8700", "#0a7ea4", "#cf222e", "#6e7781"];
const windowSeconds = 300;
const state = { key: sessionStorage.getItem("akkaex-key") || "", self: null, symbol: null, socket: null, sequence: 0, trades: [], colors: new Map(), errors: new Map() };

const $ = id => document.getElementById(id);

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (name === "class") node.className = value;
    else if (name === "on") for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    else if (name.startsWith("data-")) node.setAttribute(name, value);
    else node[name] = value;
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  return node;
}

function svg(tag, attrs) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  return node;
}

function setRows(table, rows) {
  const body = table.tBodies[0];
  body.replaceChildren(...rows);
}

// What the polls last met: "live" while every one of them answers, else their errors.
function showStatus() {
  const s = $("status");
  s.textContent = state.errors.size ? [...state.errors.values()].join("; ") : `live · ${new Date().toLocaleTimeString()}`;
  s.className = state.errors.size ? "error" : "";
}

function actionResult(text, isError) {
  const a = $("action");
  a.textContent = text;
  a.className = isError ? "error" : "muted";
}

async function call(method, path, body) {
  const headers = {};
  if (state.key) headers.Authorization = "Bearer " + state.key;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, cache: "no-store", body: body === undefined ? undefined : JSON.stringify(body) });
  let json = null;
  try { json = await response.json(); } catch { json = null; }
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${json && json.error ? json.error : response.statusText}`);
  return json;
}

const get = path => call("GET", path);

function colorOf(nodeId) {
  if (!state.colors.has(nodeId)) state.colors.set(nodeId, palette[state.colors.size % palette.length]);
  return state.colors.get(nodeId);
}

// ---- members -------------------------------------------------------------------------------------------------------

function renderMembers(data) {
  state.self = data.members.find(m => m.address === data.self)?.nodeId ?? null;
  $("node").textContent = `${data.mode} · this node ${state.self ?? data.self}`;
  const members = [...data.members].sort((a, b) => a.nodeId.localeCompare(b.nodeId));
  setRows($("members"), members.map(m => {
    const marks = [];
    if (m.address === data.leader) marks.push("leader");
    if (m.address === data.oldest) marks.push("oldest");
    if (m.address === data.self) marks.push("this node");
    const isSelf = m.address === data.self;
    const action = isSelf
      ? el("button", { type: "button", on: { click: () => act(`Make ${m.nodeId} leave the cluster?`, "POST", "/admin/v1/leave") } }, "leave")
      : el("button", { type: "button", on: { click: () => act(`Down ${m.nodeId}? Its shards restart elsewhere.`, "POST", `/admin/v1/down/${encodeURIComponent(m.nodeId)}`) } }, "down");
    return el("tr", { "data-node": m.nodeId },
      el("td", {}, m.nodeId), el("td", {}, m.address), el("td", {}, m.httpAddress ?? ""),
      el("td", { class: m.status === "up" ? "ok" : "bad" }, m.status),
      el("td", { class: m.reachable ? "ok" : "bad" }, m.reachable ? "yes" : "no"),
      el("td", {}, m.roles.join(", ")), el("td", { class: "muted" }, marks.join(", ")), el("td", {}, action));
  }));
}

// ---- shard map -----------------------------------------------------------------------------------------------------

function renderShards(data) {
  const owners = new Map();
  // A shard with no symbol never starts an entity: nothing to show.
  for (const shard of data.shards.filter(s => s.symbols.length > 0)) {
    const owner = shard.owner ?? "(not started yet)";
    if (!owners.has(owner)) owners.set(owner, []);
    owners.get(owner).push(shard);
  }
  const symbols = data.shards.reduce((n, s) => n + s.symbols.length, 0);
  $("shard-summary").textContent = `${data.shards.length} shards, ${symbols} symbols, ${owners.size} owners`;
  $("shard-map").replaceChildren(...[...owners.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([owner, shards]) =>
    el("div", { class: "card", "data-owner": owner },
      el("h3", {}, owner, el("span", { class: "muted" }, ` · ${shards.length} shards, ${shards.reduce((n, s) => n + s.entities, 0)} entities`)),
      ...shards.flatMap(s => s.symbols.map(symbol =>
        el("span", { class: s.recovering ? "chip recovering" : "chip", title: `shard ${s.shard}, lease epoch ${s.epoch}` }, symbol))))));
}

// ---- charts --------------------------------------------------------------------------------------------------------

function drawChart(chart, legend, series, unit) {
  const width = 600, height = 180, top = 14, bottom = 16;
  const now = Math.floor(Date.now() / 1000);
  const max = Math.max(1, ...series.flatMap(s => s.points.map(p => p[1])));
  const x = t => ((t - (now - windowSeconds)) / windowSeconds) * width;
  const y = v => height - bottom - (v / max) * (height - top - bottom);
  chart.replaceChildren();
  for (const fraction of [0, 0.5, 1]) chart.append(svg("line", { class: "grid", x1: 0, x2: width, y1: y(max * fraction), y2: y(max * fraction) }));
  const label = svg("text", { x: 4, y: 11 });
  label.textContent = `${max.toFixed(max < 10 ? 2 : 0)} ${unit}`;
  chart.append(label);
  const left = svg("text", { x: 4, y: height - 3 });
  left.textContent = "5 min ago";
  const right = svg("text", { x: width - 28, y: height - 3 });
  right.textContent = "now";
  chart.append(left, right);
  for (const s of series) {
    if (s.points.length === 0) continue;
    const line = svg("polyline", { class: s.dashed ? "series p50" : "series", points: s.points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(" ") });
    line.style.stroke = s.color;
    chart.append(line);
  }
  legend.replaceChildren(...series.filter(s => !s.dashed).map(s => {
    const swatch = el("span", { class: "swatch" });
    swatch.style.background = s.color;
    return el("span", {}, swatch, s.name, s.note ? el("span", { class: "muted" }, ` ${s.note}`) : null);
  }));
}

function renderActivity(data) {
  const answered = data.nodes.filter(n => n.answered);
  const totals = new Map();
  for (const n of answered) for (const [t, ack] of n.seconds) totals.set(t, (totals.get(t) ?? 0) + ack);
  const throughput = data.nodes.map(n => ({
    name: n.nodeId, color: colorOf(n.nodeId), note: n.answered ? "" : `(${n.error})`,
    points: n.seconds.map(([t, ack]) => [t, ack]),
  }));
  if (data.nodes.length > 1)
    throughput.push({ name: "all nodes", color: "#1d2330", points: [...totals.entries()].sort((a, b) => a[0] - b[0]) });
  drawChart($("throughput-chart"), $("throughput-legend"), throughput, "orders/s");

  const latency = [];
  for (const n of data.nodes) {
    latency.push({ name: n.nodeId, color: colorOf(n.nodeId), note: n.answered ? "" : `(${n.error})`,
      points: n.seconds.filter(s => s[1] + s[2] > 0).map(s => [s[0], s[5] / 1000]) });
    latency.push({ name: n.nodeId, color: colorOf(n.nodeId), dashed: true,
      points: n.seconds.filter(s => s[1] + s[2] > 0).map(s => [s[0], s[4] / 1000]) });
  }
  drawChart($("latency-chart"), $("latency-legend"), latency, "ms");

  const settling = answered.find(n => n.settlement && n.settlement.running);
  const rows = settling
    ? [["runs on", settling.nodeId], ["lag", `${settling.settlement.lagSeconds.toFixed(3)} s (last trade to its settlement commit)`],
       ["settled", `${settling.settlement.tradesSettled} trades since it started there`]]
    : [["runs on", "not seen on an answering node"]];
  $("settlement").replaceChildren(...rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", { "data-field": k }, v)]));
}

// ---- singletons, reconciliation, region ----------------------------------------------------------------------------

function renderSingletons(data) {
  setRows($("singletons"), data.singletons.map(s => el("tr", {}, el("td", {}, s.name), el("td", {}, s.owner ?? "(none)"), el("td", {}, s.epoch))));
}

function renderRuns(data) {
  if (data.runs.length === 0) { setRows($("runs"), [el("tr", {}, el("td", { colSpan: 7, class: "muted" }, "no run yet"))]); return; }
  setRows($("runs"), data.runs.map(r => el("tr", { "data-run": r.runId },
    el("td", {}, r.runId), el("td", {}, new Date(r.startedAt).toLocaleTimeString()), el("td", {}, r.trigger), el("td", {}, r.scope),
    el("td", {}, r.tradesChecked), el("td", {}, r.missing + r.mismatched + r.extra + r.imbalancedAssets + r.positionBreaks),
    el("td", { class: r.outcome === "clean" ? "ok" : "bad" }, r.outcome))));
}

function renderRegion(r) {
  const badge = $("region-badge");
  if (!r.region) {
    badge.textContent = "single region";
    badge.className = "badge";
    $("region").replaceChildren(el("dt", {}, "region"), el("dd", {}, "none configured: this cluster is the exchange"));
    setRows($("peers"), []);
    $("failover").hidden = true;
    return;
  }
  badge.textContent = `region ${r.region}: ${r.role}`;
  badge.className = `badge ${r.role}`;
  const lag = r.replayLagBytes ?? (r.replicas && r.replicas.length ? Math.max(...r.replicas.map(x => x.lagBytes)) : 0);
  const rows = [["region", r.region], ["role", r.role], ["takes orders", r.acceptsOrders ? "yes" : "no"], ["active region", r.activeRegion ?? "?"],
    ["epoch", r.epoch], ["database", r.database ?? ""], ["replication lag", `${lag} bytes`]];
  $("region").replaceChildren(...rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, String(v))]));
  setRows($("peers"), r.peers.map(p => el("tr", {}, el("td", {}, p.region), el("td", {}, p.url),
    el("td", { class: p.reachable ? "ok" : "bad" }, p.reachable ? "yes" : "no"), el("td", {}, p.role ?? ""), el("td", {}, p.epoch ?? ""))));
  $("failover").hidden = r.role === "active";
}

// ---- book over the public market-data WebSocket --------------------------------------------------------------------

function renderBook(bids, asks) {
  setRows($("bids"), bids.map(l => el("tr", {}, el("td", {}, l.orders), el("td", {}, l.quantity), el("td", {}, l.price))));
  setRows($("asks"), asks.map(l => el("tr", {}, el("td", {}, l.price), el("td", {}, l.quantity), el("td", {}, l.orders))));
  $("book-state").textContent = `sequence ${state.sequence}`;
  $("book-state").dataset.sequence = String(state.sequence);
}

function renderTrades() {
  setRows($("trades"), state.trades.map(t => el("tr", {},
    el("td", {}, new Date(t.timestamp / 1000).toLocaleTimeString()), el("td", {}, t.price), el("td", {}, t.quantity),
    el("td", {}, t.aggressorSide), el("td", {}, t.tradeId))));
}

function follow(symbol) {
  if (state.socket) { state.socket.onclose = null; state.socket.close(); }
  state.symbol = symbol;
  state.trades = [];
  renderTrades();
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  const socket = new WebSocket(`${scheme}${location.host}/ws/v1/marketdata?symbols=${encodeURIComponent(symbol)}`);
  state.socket = socket;
  $("book-state").textContent = "connecting…";
  socket.onmessage = event => {
    const m = JSON.parse(event.data);
    if (m.type === "snapshot") {
      state.sequence = m.book.sequence;
      if (m.book.lastTrade) { state.trades = [m.book.lastTrade]; renderTrades(); }
      renderBook(m.book.bids, m.book.asks);
      return;
    }
    if (m.previousSequence !== state.sequence) { follow(symbol); return; } // missed an update: start again from a snapshot
    state.sequence = m.sequence;
    if (m.type === "book") renderBook(m.bids, m.asks);
    else if (m.type === "trade") {
      state.trades = [m, ...state.trades].slice(0, 20);
      renderTrades();
      $("book-state").textContent = `sequence ${state.sequence}`;
      $("book-state").dataset.sequence = String(state.sequence);
    }
  };
  socket.onclose = event => {
    if (state.socket !== socket) return;
    $("book-state").textContent = `disconnected (${event.reason || event.code}); reconnecting`;
    setTimeout(() => { if (state.socket === socket) follow(symbol); }, 2000);
  };
}

// ---- actions -------------------------------------------------------------------------------------------------------

async function act(question, method, path, body) {
  if (!state.key) { actionResult("actions need the operator key: type it at the top right", true); return; }
  if (!confirm(question)) return;
  try {
    const answer = await call(method, path, body);
    actionResult(`${method} ${path}: done ${answer ? JSON.stringify(answer).slice(0, 160) : ""}`, false);
    refreshSoon();
  } catch (e) {
    actionResult(e.message, true);
  }
}

// ---- polling -------------------------------------------------------------------------------------------------------

const refreshers = [];

// After an action, poll everything now rather than at the next tick.
function refreshSoon() { for (const refresh of refreshers) refresh(); }

function poll(name, task, every) {
  let timer = null, running = false;
  const run = async () => {
    if (running) return; // a refresh while a poll is out: that poll's answer is fresh enough
    running = true;
    clearTimeout(timer);
    try {
      await task();
      state.errors.delete(name);
    } catch (e) {
      state.errors.set(name, e.message);
    }
    running = false;
    showStatus();
    timer = setTimeout(run, every);
  };
  refreshers.push(run);
  run();
}

async function start() {
  $("key").value = state.key;
  $("key-state").textContent = state.key ? "key set for this tab" : "";
  $("key-form").addEventListener("submit", event => {
    event.preventDefault();
    state.key = $("key").value.trim();
    if (state.key) sessionStorage.setItem("akkaex-key", state.key); else sessionStorage.removeItem("akkaex-key");
    $("key-state").textContent = state.key ? "key set for this tab" : "";
  });
  $("reconcile").addEventListener("click", () => act("Run a reconciliation now?", "POST", "/api/v1/reconciliation/runs", {}));
  $("failover").addEventListener("click", () => act("Make this region the active one? Only when the active region is gone.", "POST", "/admin/v1/region/failover"));

  const symbols = (await get("/api/v1/symbols")).symbols.map(s => s.symbol);
  const select = $("symbol");
  select.replaceChildren(...symbols.map(s => el("option", { value: s }, s)));
  const wanted = new URLSearchParams(location.search).get("symbol");
  select.value = symbols.includes(wanted) ? wanted : symbols[0];
  select.addEventListener("change", () => follow(select.value));
  follow(select.value);

  poll("members", async () => { renderMembers(await get("/dashboard/api/members")); renderRegion(await get("/region")); }, 2000);
  poll("activity", async () => renderActivity(await get("/dashboard/api/cluster-activity")), 2000);
  poll("shards", async () => { renderShards(await get("/dashboard/api/shards")); renderSingletons(await get("/dashboard/api/singletons")); }, 5000);
  poll("runs", async () => renderRuns(await get("/api/v1/reconciliation/runs?limit=5")), 5000);
}

start().catch(e => { state.errors.set("start", e.message); showStatus(); });
