// The screening forms: a name (with birth year and nationality), a machine-readable zone, or a plate.
// Each hit is shown with why it matched.
import { bindForm, fields, showResult, announce } from "./forms.js";

const results = document.getElementById("screen-results");

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "class") node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

const percent = (score) => `${Math.round(score * 1000) / 10}%`;

function personHit(hit) {
  const explanation = hit.explanation;
  const item = element("li", { class: `hit${hit.alert ? " hit-alert" : ""}`, "data-id": hit.id });
  item.append(
    element("h3", { class: "hit-name" }, hit.name, " ",
      element("span", { class: "badge" }, hit.alert ? "ALERT" : "below alert threshold")),
    element("p", { class: "hit-score" }, `Score ${percent(hit.score)} (${hit.kind})`),
    element("p", { class: "hit-explanation" }, explanation.summary),
  );
  if (explanation.parts?.length) {
    const rows = explanation.parts.map((part) =>
      element("tr", {}, element("td", {}, part.query_part), element("td", {}, part.list_part),
        element("td", {}, part.wording), element("td", {}, percent(part.similarity))));
    item.append(element("table", { class: "parts" },
      element("caption", {}, `Matched against “${explanation.matched_name}”`),
      element("thead", {}, element("tr", {}, ...["Screened", "Listed", "How", "Similarity"].map((h) => element("th", { scope: "col" }, h)))),
      element("tbody", {}, ...rows)));
  }
  const notes = [];
  for (const evidence of explanation.evidence ?? []) notes.push(evidence.detail);
  if (explanation.unmatched_query_parts?.length) notes.push(`Not matched in the query: ${explanation.unmatched_query_parts.join(", ")}`);
  if (explanation.unmatched_list_parts?.length) notes.push(`Not matched in the listed name: ${explanation.unmatched_list_parts.join(", ")}`);
  if (notes.length) item.append(element("ul", { class: "evidence" }, ...notes.map((note) => element("li", {}, note))));
  return item;
}

function vehicleHit(hit) {
  return element("li", { class: `hit${hit.alert ? " hit-alert" : ""}`, "data-id": hit.id },
    element("h3", { class: "hit-name" }, `${hit.plate} (${hit.country})`, " ",
      element("span", { class: "badge" }, hit.alert ? "ALERT" : "below alert threshold")),
    element("p", { class: "hit-score" }, `Score ${percent(hit.score)}: ${hit.colour} ${hit.make} ${hit.model}${hit.stolen ? ", stolen" : ""}`),
    element("p", { class: "hit-explanation" }, hit.explanation.summary));
}

function documentSummary(check) {
  if (!check) return null;
  const corrected = check.corrections?.length ? `; ${check.corrections.length} misreading(s) put right` : "";
  const text = `Document (${check.format.toUpperCase().replace("_", "-")}): ${check.valid ? "every check digit holds" : "check digits fail"}${corrected}.`;
  return element("p", { class: "document" }, text);
}

function show(answer, what) {
  const hits = answer.hits ?? [];
  const list = element("ol", { class: "hits" }, ...hits.map((hit) => (hit.kind === "vehicle" ? vehicleHit(hit) : personHit(hit))));
  const summary = element("p", { class: "summary" },
    hits.length ? `${hits.length} hit(s) for ${what}; list version ${answer.list_version}, alert threshold ${percent(answer.threshold)}.`
      : `No hit for ${what} (list version ${answer.list_version}).`);
  results.replaceChildren(summary, documentSummary(answer.document) ?? "", list);
  announce(summary.textContent);
}

const nameForm = document.getElementById("screen-name-form");
bindForm(nameForm, {
  build(form) {
    const body = fields(form);
    const errors = [];
    if (!body.name) errors.push({ pointer: "/name", detail: "Enter a name to screen." });
    if (body.birth_date && !/^\d{4}$/.test(body.birth_date)) {
      errors.push({ pointer: "/birth_date", detail: "Write the birth year as four digits, such as 1975." });
    }
    if (body.nationality) body.nationality = body.nationality.toUpperCase();
    return errors.length ? { errors } : body;
  },
  done(form, answer) { show(answer, `“${form.name.value.trim()}”`); },
});

const mrzForm = document.getElementById("screen-mrz-form");
bindForm(mrzForm, {
  build(form) {
    const lines = form.mrz.value.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
    if (!lines.length) return { errors: [{ pointer: "/mrz", detail: "Paste or type the machine-readable zone." }] };
    return { mrz: lines };
  },
  done(form, answer) { show(answer, "the document"); },
});

const plateForm = document.getElementById("screen-plate-form");
bindForm(plateForm, {
  build(form) {
    const body = fields(form);
    if (!body.plate) return { errors: [{ pointer: "/plate", detail: "Enter the plate as read." }] };
    if (body.plate_country) body.plate_country = body.plate_country.toUpperCase();
    return body;
  },
  done(form, answer) { show(answer, `plate “${form.plate.value.trim()}”`); },
});
