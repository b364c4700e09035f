// The sighting form: a checkpoint fills in its place; the time typed is the officer's own.
import { bindForm, showResult } from "./forms.js";

const form = document.getElementById("sighting-form");
const checkpoint = document.getElementById("sighting-checkpoint");

checkpoint?.addEventListener("change", () => {
  const option = checkpoint.selectedOptions[0];
  if (option?.dataset.lat) {
    form.lat.value = option.dataset.lat;
    form.lon.value = option.dataset.lon;
    form.source.value = "checkpoint";
  }
});

/** `2010-08-23T04:30` typed in the browser's zone, as an instant with its offset. */
function instant(local) {
  const date = new Date(local);
  if (Number.isNaN(date.getTime())) return null;
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? "-" : "+";
  const pad = (n) => String(Math.abs(n)).padStart(2, "0");
  return `${local.length === 16 ? local + ":00" : local}${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

function number(text) {
  const value = Number(text.trim().replace(",", "."));
  return text.trim() !== "" && Number.isFinite(value) ? value : null;
}

bindForm(form, {
  build(form) {
    const errors = [];
    const body = {
      id: "s-web-" + crypto.randomUUID().slice(0, 13),
      source: form.source.value,
      confidence: form.confidence.value,
    };
    if (form.person.value) body.person = form.person.value;
    if (form.vehicle.value) body.vehicle = form.vehicle.value;
    if (!body.person && !body.vehicle) {
      errors.push({ pointer: "/person", detail: "Name the person or the vehicle seen." });
    }
    if (form.checkpoint.value) body.checkpoint = form.checkpoint.value;
    const lat = number(form.lat.value);
    const lon = number(form.lon.value);
    if (lat === null) errors.push({ pointer: "/location/lat", detail: "Enter a latitude in degrees, or choose a checkpoint." });
    if (lon === null) errors.push({ pointer: "/location/lon", detail: "Enter a longitude in degrees, or choose a checkpoint." });
    body.location = { lat, lon };
    const observed = form.observed_at.value ? instant(form.observed_at.value) : null;
    if (!observed) errors.push({ pointer: "/observed_at", detail: "Enter when the sighting was made." });
    else body.observed_at = observed;
    const note = form.note.value.trim();
    if (note) body.note = note;
    return errors.length ? { errors } : body;
  },
  done(form, sighting) {
    showResult(form, `Reported (${sighting.id}). It is on the timeline and the map.`);
    form.note.value = "";
  },
});
