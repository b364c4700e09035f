// The operations map, drawn by the server as SVG and made usable here, with nothing from outside:
// zoom (buttons, wheel, pinch, + and −) and pan (drag, arrow keys) by changing the viewBox; markers
// and town names that keep their size on screen; checkpoints that would overlap grouped into one
// marker with their count, coloured by the worst state inside it, which lists them on click or
// Enter; the facility drawn last. The server's checkpoint circles (#map-checkpoints) stay the data
// the live feed updates; the markers shown are redrawn from them whenever they change.

import {
  MAX_ZOOM, RADIUS, STATES, STATE_WORDS, cluster, element, marker, placeLabels, pushOut, readPoint, townOf, worst,
} from "./map-layout.js";

const svg = document.getElementById("map");
if (svg) setUp(svg);

function setUp(svg) {
  const figure = svg.closest("figure");
  figure.classList.add("js-map");
  const width = Number(svg.dataset.width);
  const height = Number(svg.dataset.height);
  const layer = (id) => document.getElementById(id);
  const checkpoints = layer("map-checkpoints");
  const groups = layer("map-groups");
  const facilities = layer("map-facilities");
  const facilityGroups = layer("map-facility-groups");
  const sightings = layer("map-sightings");
  const places = [...layer("map-places").querySelectorAll(".place")];
  const level = document.getElementById("map-zoom-level");
  const popup = document.getElementById("map-popup");
  const view = { zoom: 1, cx: width / 2, cy: height / 2 };
  let opened = null; // the ids of the marker whose list is open
  let lastView = null; // the viewBox last drawn

  // --- The view --------------------------------------------------------------------------------

  function clampView() {
    view.zoom = Math.min(MAX_ZOOM, Math.max(1, view.zoom));
    const halfW = width / 2 / view.zoom;
    const halfH = height / 2 / view.zoom;
    view.cx = Math.min(width - halfW, Math.max(halfW, view.cx));
    view.cy = Math.min(height - halfH, Math.max(halfH, view.cy));
  }

  function viewBox() {
    const w = width / view.zoom;
    const h = height / view.zoom;
    return { x: view.cx - w / 2, y: view.cy - h / 2, w, h };
  }

  // SVG units per screen pixel at the current zoom.
  function unitsPerPixel() {
    const shown = svg.getBoundingClientRect().width;
    return shown > 0 ? viewBox().w / shown : 1 / view.zoom;
  }

  // The SVG point under a point of the screen.
  function toMap(clientX, clientY) {
    const rect = svg.getBoundingClientRect();
    const box = viewBox();
    return { x: box.x + (clientX - rect.left) * (box.w / rect.width), y: box.y + (clientY - rect.top) * (box.h / rect.height) };
  }

  // Zooms by a factor, keeping the map point at (clientX, clientY) where it is on the screen.
  function zoomBy(factor, clientX, clientY) {
    const rect = svg.getBoundingClientRect();
    const anchor = clientX === undefined ? { x: view.cx, y: view.cy } : toMap(clientX, clientY);
    const fx = clientX === undefined ? 0.5 : (clientX - rect.left) / rect.width;
    const fy = clientY === undefined ? 0.5 : (clientY - rect.top) / rect.height;
    view.zoom = Math.min(MAX_ZOOM, Math.max(1, view.zoom * factor));
    const w = width / view.zoom;
    const h = height / view.zoom;
    view.cx = anchor.x - fx * w + w / 2;
    view.cy = anchor.y - fy * h + h / 2;
    update();
  }

  function reset() {
    view.zoom = 1;
    view.cx = width / 2;
    view.cy = height / 2;
    update();
  }

  // Zooms so that the points (in SVG units) fill most of the map, at least twice closer.
  function zoomTo(points) {
    const xs = points.map((point) => point.x);
    const ys = points.map((point) => point.y);
    const spanX = Math.max(...xs) - Math.min(...xs);
    const spanY = Math.max(...ys) - Math.min(...ys);
    const fit = Math.min(width / Math.max(spanX, 1), height / Math.max(spanY, 1)) * 0.6;
    view.zoom = Math.min(MAX_ZOOM, Math.max(view.zoom * 2, fit));
    view.cx = (Math.max(...xs) + Math.min(...xs)) / 2;
    view.cy = (Math.max(...ys) + Math.min(...ys)) / 2;
    update();
  }

  // --- Markers ---------------------------------------------------------------------------------

  function clustersOf(source, kind, scale) {
    const points = [...source.querySelectorAll(".point")].map(readPoint);
    const clusters = cluster(points, scale, kind === "facility" ? RADIUS.facility : RADIUS.single);
    for (const group of clusters) {
      group.at = { x: group.x, y: group.y };
      group.radius = group.members.length > 1 ? RADIUS.group : kind === "facility" ? RADIUS.facility : RADIUS.single;
    }
    return clusters;
  }

  // Moves checkpoint markers that a facility would cover out from under it: the facility stays
  // where it is and on top, and a moved single checkpoint keeps a line to where it really is.
  function makeRoom(clusters, facilities, scale) {
    for (const group of clusters) {
      for (const facility of facilities) pushOut(group, facility, scale, [Math.SQRT1_2, Math.SQRT1_2]);
    }
  }

  // Sightings go above what they would cover (a checkpoint where someone was seen), with a line
  // to where they were seen.
  function placeSightings(obstacles, scale) {
    const spots = [];
    for (const sighting of sightings.querySelectorAll(".sighting")) {
      const at = { x: Number(sighting.dataset.x), y: Number(sighting.dataset.y) };
      const spot = { ...at, radius: 8 };
      for (const other of obstacles) pushOut(spot, other, scale, [0, -1]);
      spots.push(spot);
      sighting.setAttribute("transform", `translate(${spot.x} ${spot.y}) scale(${scale})`);
      let leader = sighting.querySelector(":scope > line.leader");
      if (spot.x === at.x && spot.y === at.y) {
        leader?.remove();
        continue;
      }
      if (!leader) {
        leader = element("line", { class: "leader", x1: 0, y1: 0 });
        sighting.prepend(leader);
      }
      leader.setAttribute("x2", (at.x - spot.x) / scale);
      leader.setAttribute("y2", (at.y - spot.y) / scale);
    }
    return spots;
  }

  function drawMarkers(clusters, source, target, kind, scale) {
    const focused = document.activeElement?.closest?.(".marker")?.dataset.ids?.split(" ")[0];
    // Worst last, so that a silent checkpoint is never hidden under an acknowledged one.
    const ordered = [...clusters].sort((a, b) => STATES.indexOf(worst(b.members)) - STATES.indexOf(worst(a.members)));
    const nodes = [];
    for (const group of ordered) {
      if (group.members.length === 1 && (group.x !== group.at.x || group.y !== group.at.y)) {
        nodes.push(element("line", { class: "leader", x1: group.at.x, y1: group.at.y, x2: group.x, y2: group.y }));
      }
      nodes.push(marker(group, kind, scale));
    }
    target.replaceChildren(...nodes);
    if (focused) {
      const again = [...target.querySelectorAll(".marker")].find((node) => node.dataset.ids.split(" ").includes(focused));
      if (again) again.focus({ preventScroll: true });
      else if (source.querySelector(`[data-id="${CSS.escape(focused)}"]`)) svg.focus({ preventScroll: true });
    }
  }

  // --- Drawing ---------------------------------------------------------------------------------

  function update() {
    clampView();
    const box = viewBox();
    svg.setAttribute("viewBox", `${box.x} ${box.y} ${box.w} ${box.h}`);
    svg.classList.toggle("zoomed", view.zoom > 1);
    const zoom = Math.round(view.zoom * 10) / 10;
    level.textContent = `zoom ×${zoom}`;
    svg.dataset.zoom = String(zoom);
    const scale = unitsPerPixel();
    const drawn = clustersOf(checkpoints, "checkpoint", scale);
    const placed = clustersOf(facilities, "facility", scale);
    makeRoom(drawn, placed, scale);
    drawMarkers(drawn, checkpoints, groups, "checkpoint", scale);
    drawMarkers(placed, facilities, facilityGroups, "facility", scale);
    const seen = placeSightings([...drawn, ...placed], scale);
    const obstacles = [...drawn, ...placed, ...seen].map((spot) => ({ x: spot.x, y: spot.y, r: spot.radius }));
    placeLabels(places, scale, box, obstacles);
    // A list stays open while its members change state, and closes when the view moves under it.
    const shown = svg.getAttribute("viewBox");
    if (opened && shown !== lastView) closeList(false);
    else if (opened) showList(opened, false);
    lastView = shown;
  }

  let pending = false;
  function later() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      update();
    });
  }

  // --- A marker's list -------------------------------------------------------------------------

  function membersOf(ids) {
    return ids.map((id) => {
      const node = svg.querySelector(`#map-checkpoints [data-id="${CSS.escape(id)}"], #map-facilities [data-id="${CSS.escape(id)}"]`);
      return node ? { ...readPoint(node), facility: node.classList.contains("facility") } : null;
    }).filter(Boolean);
  }

  // Fills the list of the marker holding these ids and, when `place` is set, puts it beside the marker.
  function showList(ids, place = true) {
    // Worst first, then by name.
    const members = membersOf(ids).sort((a, b) =>
      (STATES.indexOf(a.state) - STATES.indexOf(b.state)) || a.name.localeCompare(b.name));
    if (!members.length) return closeList(false);
    opened = ids;
    const facility = members[0].facility;
    const title = document.getElementById("map-popup-title");
    const noun = facility ? (members.length > 1 ? "facilities" : "facility") : members.length > 1 ? "checkpoints" : "checkpoint";
    title.textContent = members.length > 1
      ? `${members.length} ${noun} near ${townOf(members)}`
      : `${members[0].name}`;
    const list = document.getElementById("map-popup-list");
    list.replaceChildren(...members.map((member) => {
      const item = document.createElement("li");
      item.dataset.id = member.id;
      if (!facility) {
        item.className = `state-${member.state}`;
        const badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = STATE_WORDS[member.state] ?? member.state;
        item.append(badge, " ");
      }
      const name = document.createElement("strong");
      name.textContent = member.name;
      const where = document.createElement("span");
      where.className = "where";
      where.title = member.coordinates;
      where.textContent = member.position;
      item.append(name, " · ", where);
      return item;
    }));
    popup.hidden = false;
    if (place) {
      const anchor = [...svg.querySelectorAll(".marker")].find((node) => node.dataset.ids.split(" ").includes(ids[0]));
      const frame = figure.getBoundingClientRect();
      const spot = (anchor ?? svg).getBoundingClientRect();
      const left = Math.min(Math.max(0, spot.right - frame.left + 8), frame.width - popup.offsetWidth);
      popup.style.left = `${Math.max(0, left)}px`;
      popup.style.top = `${Math.max(0, spot.top - frame.top)}px`;
    }
  }

  function open(marker) {
    showList(marker.dataset.ids.split(" "));
    document.getElementById("map-popup-title").focus({ preventScroll: true });
  }

  function closeList(refocus = true) {
    const ids = opened;
    opened = null;
    popup.hidden = true;
    if (refocus && ids) {
      const node = [...svg.querySelectorAll(".marker")].find((marker) => marker.dataset.ids.split(" ").includes(ids[0]));
      (node ?? svg).focus({ preventScroll: true });
    }
  }

  document.getElementById("map-popup-close").addEventListener("click", () => closeList());
  document.getElementById("map-popup-zoom").addEventListener("click", () => {
    const ids = opened ?? [];
    const members = membersOf(ids);
    closeList(false);
    if (members.length) zoomTo(members);
    const node = [...svg.querySelectorAll(".marker")].find((marker) => marker.dataset.ids.split(" ").includes(ids[0]));
    (node ?? svg).focus({ preventScroll: true });
  });
  popup.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeList();
  });
  document.addEventListener("click", (event) => {
    if (opened && !popup.contains(event.target) && !svg.contains(event.target)) closeList(false);
  });

  // --- Pointer and keyboard --------------------------------------------------------------------

  const pointers = new Map();
  let drag = null;
  let dragged = false;

  svg.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    dragged = false;
    drag = { x: event.clientX, y: event.clientY, cx: view.cx, cy: view.cy, pinch: null };
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      drag.pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y), zoom: view.zoom };
    }
  });
  svg.addEventListener("pointermove", (event) => {
    if (!drag || !pointers.has(event.pointerId)) return;
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (pointers.size === 2 && drag.pinch) {
      const [a, b] = [...pointers.values()];
      const factor = (Math.hypot(a.x - b.x, a.y - b.y) / Math.max(drag.pinch.distance, 1)) * drag.pinch.zoom / view.zoom;
      dragged = true;
      zoomBy(factor, (a.x + b.x) / 2, (a.y + b.y) / 2);
      return;
    }
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!dragged && Math.hypot(dx, dy) < 4) return;
    if (!dragged) {
      dragged = true;
      svg.setPointerCapture(event.pointerId);
      svg.classList.add("dragging");
    }
    const rect = svg.getBoundingClientRect();
    view.cx = drag.cx - dx * (viewBox().w / rect.width);
    view.cy = drag.cy - dy * (viewBox().h / rect.height);
    later();
  });
  const release = (event) => {
    pointers.delete(event.pointerId);
    // The end of a pinch ends the gesture: the finger left does not pan from where the pinch began.
    if (pointers.size === 0 || drag?.pinch) {
      drag = null;
      svg.classList.remove("dragging");
    }
  };
  svg.addEventListener("pointerup", release);
  svg.addEventListener("pointercancel", release);
  svg.addEventListener("click", (event) => {
    if (dragged) {
      dragged = false;
      return;
    }
    const target = event.target.closest?.(".marker");
    if (target) open(target);
    else if (opened) closeList(false);
  });
  // The wheel zooms once the map is in use (focused, as a click on it does) or with Ctrl (and a
  // touchpad's pinch); otherwise it scrolls the page as usual.
  svg.addEventListener("wheel", (event) => {
    if (!event.ctrlKey && !svg.contains(document.activeElement)) return;
    event.preventDefault();
    zoomBy(Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.002)), event.clientX, event.clientY);
  }, { passive: false });

  svg.addEventListener("keydown", (event) => {
    const target = event.target.closest?.(".marker");
    const step = 0.2;
    const box = viewBox();
    switch (event.key) {
      case "Enter":
      case " ":
        if (!target) return;
        open(target);
        break;
      case "ArrowLeft": view.cx -= box.w * step; update(); break;
      case "ArrowRight": view.cx += box.w * step; update(); break;
      case "ArrowUp": view.cy -= box.h * step; update(); break;
      case "ArrowDown": view.cy += box.h * step; update(); break;
      case "+":
      case "=": zoomBy(2); break;
      case "-":
      case "_": zoomBy(0.5); break;
      case "0": reset(); break;
      case "Escape": if (opened) closeList(); else return; break;
      default: return;
    }
    event.preventDefault();
  });

  for (const button of figure.querySelectorAll(".map-zoom")) {
    button.addEventListener("click", () => {
      const action = button.dataset.zoom;
      if (action === "in") zoomBy(2);
      else if (action === "out") zoomBy(0.5);
      else reset();
    });
  }

  // The live feed changes checkpoints' states and adds sightings: draw again.
  new MutationObserver(later).observe(checkpoints, { attributes: true, subtree: true, attributeFilter: ["data-state"] });
  new MutationObserver(later).observe(sightings, { childList: true });
  new ResizeObserver(later).observe(svg);
  update();
}
