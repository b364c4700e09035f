// The map's layout, apart from the page: which checkpoints share a marker at a given scale, what a
// marker says, how markers make room for each other, and where town names go. Used by map.js.

export const SVG = "http://www.w3.org/2000/svg";
export const MAX_ZOOM = 64;
// Worst first: a group takes the colour of the first of these among its members.
export const STATES = ["silent", "delivered", "acknowledged", "none"];
export const STATE_WORDS = {
  silent: "silent",
  delivered: "received, not acknowledged",
  acknowledged: "acknowledged",
  none: "no alert",
};
// Markers' radii on screen, in pixels: a checkpoint, a group, a facility.
export const RADIUS = { single: 8, group: 12, facility: 8 };
// Towns of rank 2 and 3 are named once the map shows this many pixels per unit.
export const RANK_SCALE = { 1: 0, 2: 1.6, 3: 3.2 };

export function element(name, attributes = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

export function readPoint(node) {
  return {
    id: node.dataset.id,
    x: Number(node.dataset.x),
    y: Number(node.dataset.y),
    state: node.dataset.state ?? "",
    name: node.dataset.name ?? "",
    town: node.dataset.town ?? "",
    position: node.dataset.position ?? "",
    coordinates: node.dataset.coordinates ?? "",
  };
}

// Groups points whose markers would overlap on screen: the closest overlapping pair is merged
// first, and a group sits at the middle of its members.
export function cluster(points, scale, radius) {
  let clusters = points.map((point) => ({ members: [point], x: point.x, y: point.y }));
  const size = (group) => (group.members.length > 1 ? RADIUS.group : radius);
  for (;;) {
    let best = null;
    for (let i = 0; i < clusters.length; i++) {
      for (let j = i + 1; j < clusters.length; j++) {
        const a = clusters[i];
        const b = clusters[j];
        const gap = Math.hypot(a.x - b.x, a.y - b.y) / scale - (size(a) + size(b));
        if (gap < 1 && (!best || gap < best.gap)) best = { i, j, gap };
      }
    }
    if (!best) return clusters;
    const members = [...clusters[best.i].members, ...clusters[best.j].members];
    const merged = {
      members,
      x: members.reduce((sum, point) => sum + point.x, 0) / members.length,
      y: members.reduce((sum, point) => sum + point.y, 0) / members.length,
    };
    clusters = clusters.filter((_, index) => index !== best.i && index !== best.j);
    clusters.push(merged);
  }
}

export function worst(members) {
  return STATES.find((state) => members.some((member) => member.state === state)) ?? "none";
}

// The town most members are nearest to: `near Dushanbe`.
export function townOf(members) {
  const counts = new Map();
  for (const member of members) counts.set(member.town, (counts.get(member.town) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
}

export function tally(members) {
  return STATES.map((state) => [state, members.filter((member) => member.state === state).length])
    .filter(([, count]) => count > 0)
    .map(([state, count]) => `${count} ${STATE_WORDS[state]}`)
    .join(", ");
}

export function describeGroup(group, kind) {
  const members = group.members;
  if (kind === "facility") {
    if (members.length === 1) return `${members[0].name} (${members[0].position}, ${members[0].coordinates})`;
    return `${members.length} facilities near ${townOf(members)}: ${members.map((m) => m.name).join("; ")}`;
  }
  if (members.length === 1) {
    const member = members[0];
    return `${member.name} (${member.position}, ${member.coordinates}): ${STATE_WORDS[member.state] ?? member.state}`;
  }
  return `${members.length} checkpoints near ${townOf(members)}: ${tally(members)}`;
}

// Moves a marker (`spot`, with x, y and its radius on screen) out from under another, along the
// line between them, or in `away`'s direction when they are on the same point.
export function pushOut(spot, other, scale, away) {
  const dx = (spot.x - other.x) / scale;
  const dy = (spot.y - other.y) / scale;
  const distance = Math.hypot(dx, dy);
  const needed = spot.radius + other.radius + 1;
  if (distance >= needed) return;
  const [ux, uy] = distance > 0.5 ? [dx / distance, dy / distance] : away;
  spot.x = other.x + ux * needed * scale;
  spot.y = other.y + uy * needed * scale;
}

// One marker: a checkpoint, a group of them with its count, or a facility (or facilities), as a
// button whose name says what it holds; `scale` keeps it the same size on screen at every zoom.
export function marker(group, kind, scale) {
  const members = group.members;
  const several = members.length > 1;
  const state = kind === "checkpoint" ? worst(members) : "";
  const label = describeGroup(group, kind);
  const classes = ["marker", kind === "facility" ? "facility" : "checkpoint", several ? "group" : "single"];
  if (state) classes.push(`state-${state}`);
  const node = element("g", {
    class: classes.join(" "),
    role: "button",
    tabindex: 0,
    "aria-label": `${label}. ${several ? "Enter lists them." : "Enter shows it."}`,
    "data-ids": members.map((member) => member.id).join(" "),
    "data-count": members.length,
    "data-state": state,
    transform: `translate(${group.x} ${group.y}) scale(${scale})`,
  });
  node.append(element("title", {}, label));
  const symbol = kind === "facility" ? "facility" : several ? "group" : "checkpoint";
  node.append(element("use", { href: `#sym-${symbol}`, x: -12, y: -12, width: 24, height: 24 }));
  if (several && kind === "checkpoint") {
    const digits = members.length > 9 ? " wide" : "";
    node.append(element("text", { class: `marker-count${digits}`, y: 3.5 }, String(members.length)));
  } else if (several) {
    node.append(element("text", { class: "facility-count", x: 7, y: -6 }, String(members.length)));
  }
  node.append(element("circle", { class: "focus-ring", r: several ? 14 : 10 }));
  return node;
}

// Names the towns (`places`, the map's .place elements, biggest first) that the scale allows and
// that fall in `box` (the viewBox), each beside its dot where it covers neither a marker
// (`obstacles`: x, y in SVG units, r in pixels) nor another name; a regional centre is named even
// when no side is free.
export function placeLabels(places, scale, box, obstacles) {
  const pixels = 1 / scale;
  // The drawing's edges, in pixels: a name must fit inside.
  const [left, top, right, bottom] = [box.x / scale, box.y / scale, (box.x + box.w) / scale, (box.y + box.h) / scale];
  const taken = obstacles.map(({ x, y, r }) => ({ x0: x / scale - r, y0: y / scale - r, x1: x / scale + r, y1: y / scale + r }));
  for (const place of places) {
    const rank = Number(place.dataset.rank);
    const x = Number(place.dataset.x);
    const y = Number(place.dataset.y);
    const inside = x >= box.x && x <= box.x + box.w && y >= box.y && y <= box.y + box.h;
    place.setAttribute("transform", `translate(${x} ${y}) scale(${scale})`);
    const text = place.querySelector("text");
    if (!inside || pixels < RANK_SCALE[rank]) {
      place.classList.add("hidden");
      continue;
    }
    const size = rank === 1 ? 13 : rank === 2 ? 12 : 11;
    const textWidth = text.textContent.length * size * 0.6;
    const px = x / scale;
    const py = y / scale;
    // Beside the dot, then clear of a marker on it: right, left, above, below.
    const sides = [5, 15, 28].flatMap((gap) => [
      { dx: gap + 1, dy: 4, anchor: "start", x0: px + gap, x1: px + gap + 2 + textWidth },
      { dx: -gap - 1, dy: 4, anchor: "end", x0: px - gap - 2 - textWidth, x1: px - gap },
      { dx: 0, dy: -gap - 2, anchor: "middle", x0: px - textWidth / 2, x1: px + textWidth / 2 },
      { dx: 0, dy: gap + size + 1, anchor: "middle", x0: px - textWidth / 2, x1: px + textWidth / 2 },
    ]).map((side) => ({ ...side, y0: py + side.dy - size, y1: py + side.dy + 2 }));
    const clashes = (rect) => taken.filter((other) => rect.x0 < other.x1 && rect.x1 > other.x0 && rect.y0 < other.y1 && rect.y1 > other.y0).length;
    const shown = sides.filter((rect) => rect.x0 >= left && rect.x1 <= right && rect.y0 >= top && rect.y1 <= bottom);
    let side = shown.find((candidate) => clashes(candidate) === 0);
    if (!side && rank === 1) side = [...shown].sort((a, b) => clashes(a) - clashes(b))[0];
    if (!side) {
      place.classList.add("hidden");
      continue;
    }
    place.classList.remove("hidden");
    text.setAttribute("x", side.dx);
    text.setAttribute("y", side.dy);
    text.setAttribute("text-anchor", side.anchor);
    taken.push(side);
  }
}
