// argbrief serve: the preview page.
//
// The server pushes the project's state (maps, packs, their versions and every
// diagnostic) as server-sent events; this script shows it. The layout of a view is
// built when the route changes; a new state only updates its parts, and a drawing
// or pack is swapped in only once its new version has loaded, so the last good one
// stays on screen meanwhile. All user text goes into the page as text, never markup.
"use strict";

const THEMES = ["default", "print", "colorblind"];
const DIRECTIONS = [["TB", "thesis at the top"], ["BT", "thesis at the bottom"], ["LR", "thesis on the left"]];
let current = null;   // the latest state
let shown = "";       // the route the view was built for

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function route() {
  const m = location.hash.match(/^#\/(map|pack)\/([^?]+)(?:\?(.*))?$/);
  if (!m) return { kind: "index", key: "index", params: new URLSearchParams() };
  const id = decodeURIComponent(m[2]);
  return { kind: m[1], id, key: `${m[1]}/${id}`, params: new URLSearchParams(m[3] || "") };
}

function find(kind, id) {
  return current ? current.items.find((item) => item.kind === kind && item.id === id) : undefined;
}

function badges(item) {
  const out = [];
  if (item.errors) out.push(el("span", { class: "badge error", title: "errors" }, item.errors));
  if (item.warnings) out.push(el("span", { class: "badge warning", title: "warnings" }, item.warnings));
  return el("span", {}, out);
}

function renderList() {
  const nav = document.getElementById("list");
  const here = route();
  nav.replaceChildren();
  for (const [kind, heading] of [["map", "Maps"], ["pack", "Packs"]]) {
    nav.append(el("h2", {}, heading));
    const items = current.items.filter((item) => item.kind === kind);
    if (!items.length) nav.append(el("p", { class: "empty", style: "margin: 0 1em" }, "none"));
    for (const item of items) {
      const link = el("a", { href: `#/${kind}/${encodeURIComponent(item.id)}`, "data-id": item.id }, el("span", {}, item.title), badges(item));
      if (here.kind === kind && here.id === item.id) link.setAttribute("aria-current", "page");
      nav.append(link);
    }
  }
}

function diagnosticsList(files) {
  const list = el("ul", { class: "diagnostics", "aria-label": "Problems" });
  const wanted = files ? new Set(files) : null;
  for (const d of current.diagnostics) {
    if (wanted && !wanted.has(d.file)) continue;
    const where = d.line ? `${d.file}:${d.line}:${d.column}` : d.file;
    list.append(el("li", { class: d.severity, "data-code": d.code },
      el("span", { class: "where" }, where), ": ",
      el("span", { class: `severity ${d.severity}` }, d.severity), ": ",
      d.message, d.hint ? ` (${d.hint})` : "", " ", el("span", { class: "code" }, `[${d.code}]`)));
  }
  if (!list.children.length) list.append(el("li", { class: "none" }, "No problems."));
  return list;
}

// Swap a drawing or a pack in only once the new one has loaded: the old one stays meanwhile.
function swapImage(img, src, version, onFail) {
  if (img.dataset.src === src) return;
  img.dataset.src = src;
  const next = new Image();
  next.onload = () => {
    if (img.dataset.src !== src) return;  // a newer one was asked for meanwhile
    img.src = src;
    img.dataset.version = version;
    img.alt = img.dataset.alt;
  };
  next.onerror = () => fetch(src).then((r) => r.text()).then(onFail, () => onFail("the drawing could not be loaded"));
  next.src = src;
}

function swapFrame(holder, src, version) {
  const old = holder.querySelector("iframe");
  if (old && old.dataset.src === src) return;
  const frame = el("iframe", { class: "frame", sandbox: "allow-same-origin", title: "The pack as HTML", "data-src": src });
  if (old) frame.style.display = "none";
  frame.addEventListener("load", () => {
    if (old && old.isConnected) {
      try { frame.contentWindow.scrollTo(0, old.contentWindow.scrollY); } catch (e) { /* not same-origin */ }
      old.remove();
    }
    frame.style.display = "";
    frame.dataset.version = version;
  });
  frame.src = src;
  holder.append(frame);
}

function buildView() {
  const view = document.getElementById("view");
  const here = route();
  shown = here.key;
  view.replaceChildren();
  if (here.kind === "index") {
    view.append(el("h1", {}, "Maps and packs"), el("div", { id: "summary" }), el("h2", {}, "Problems"), el("div", { id: "problems" }));
    return;
  }
  view.append(el("h1", { id: "title" }), el("div", { class: "file", id: "file" }));
  if (here.kind === "map") {
    const theme = el("select", { id: "theme", onchange: changeOption }, THEMES.map((t) => el("option", { value: t }, t)));
    const direction = el("select", { id: "direction", onchange: changeOption },
      DIRECTIONS.map(([d, words]) => el("option", { value: d }, `${d} — ${words}`)));
    theme.value = THEMES.includes(here.params.get("theme")) ? here.params.get("theme") : "default";
    direction.value = DIRECTIONS.some(([d]) => d === here.params.get("direction")) ? here.params.get("direction") : "TB";
    view.append(el("div", { class: "toolbar" },
      el("label", { for: "theme" }, "Theme"), theme, el("label", { for: "direction" }, "Direction"), direction));
  }
  view.append(el("div", { class: "notice", id: "notice", role: "status" }), el("div", { id: "problems" }));
  if (here.kind === "map") {
    view.append(el("figure", {}, el("img", { id: "diagram", alt: "", "data-alt": "" }), el("p", { id: "drawing-error", class: "empty" })));
  } else {
    view.append(el("div", { id: "document" }));
  }
}

function changeOption() {
  const here = route();
  const params = new URLSearchParams({ theme: document.getElementById("theme").value, direction: document.getElementById("direction").value });
  history.replaceState(null, "", `#/${here.kind}/${encodeURIComponent(here.id)}?${params}`);
  updateView();
}

function updateView() {
  if (!current) return;
  const here = route();
  if (here.key !== shown) buildView();
  document.getElementById("project").textContent = current.project;
  if (here.kind === "index") {
    const rows = current.items.map((item) => el("tr", {},
      el("td", {}, item.kind), el("td", {}, el("a", { href: `#/${item.kind}/${encodeURIComponent(item.id)}` }, item.title)),
      el("td", { class: "file" }, item.file), el("td", {}, badges(item))));
    document.getElementById("summary").replaceChildren(rows.length
      ? el("table", { class: "items" }, el("tr", {}, el("th", {}, "kind"), el("th", {}, "title"), el("th", {}, "file"), el("th", {}, "problems")), rows)
      : el("p", { class: "empty" }, "No maps or packs in the arguments folder yet."));
    document.getElementById("problems").replaceChildren(diagnosticsList(null));
    return;
  }
  const item = find(here.kind, here.id);
  const notice = document.getElementById("notice");
  if (!item) {
    document.getElementById("title").textContent = here.id;
    notice.textContent = `There is no ${here.kind} '${here.id}' (any more).`;
    document.getElementById("problems").replaceChildren();
    return;
  }
  document.getElementById("title").textContent = item.title;
  document.getElementById("file").textContent = item.file;
  document.getElementById("problems").replaceChildren(diagnosticsList(item.files));
  if (item.stale) notice.textContent = `Showing the last good version: ${item.errors} error${item.errors === 1 ? "" : "s"} below.`;
  else if (!item.version) notice.textContent = "Nothing to show until the errors below are fixed.";
  else notice.textContent = "";
  if (!item.version) return;
  if (here.kind === "map") {
    const img = document.getElementById("diagram");
    const params = new URLSearchParams({ theme: document.getElementById("theme").value, direction: document.getElementById("direction").value, v: item.version });
    img.dataset.alt = `Argument map: ${item.title}`;
    const failed = document.getElementById("drawing-error");
    failed.textContent = "";
    swapImage(img, `/maps/${encodeURIComponent(item.id)}.svg?${params}`, item.version, (text) => { failed.textContent = text; });
  } else {
    swapFrame(document.getElementById("document"), `/packs/${encodeURIComponent(item.id)}.html?v=${item.version}`, item.version);
  }
}

function receive(data) {
  current = data;
  document.body.dataset.generation = String(data.generation);
  renderList();
  updateView();
}

function connect() {
  const status = document.getElementById("status");
  const events = new EventSource("/events");
  events.addEventListener("state", (event) => receive(JSON.parse(event.data)));
  events.onopen = () => { status.textContent = "live: updates on save"; status.className = ""; };
  events.onerror = () => { status.textContent = "reconnecting… (is argbrief serve still running?)"; status.className = "down"; };
}

window.addEventListener("hashchange", () => { if (current) { renderList(); updateView(); } });
connect();
