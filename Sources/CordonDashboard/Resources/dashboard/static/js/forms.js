// Forms that talk to the JSON API: each sends what was typed, and on a problem (RFC 9457) shows
// every field's message next to that field, keeping everything typed.

const csrf = () => document.querySelector('meta[name="cordon-csrf"]')?.content ?? "";

/** Calls the API with the session cookie and its anti-forgery header. */
export async function api(method, url, body) {
  const headers = { Accept: "application/json, application/problem+json", "X-Cordon-CSRF": csrf() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch (error) {
    return { ok: false, status: 0, body: { title: "The server cannot be reached. Nothing was lost: try again." } };
  }
  let data = null;
  const text = await response.text();
  if (text) {
    try { data = JSON.parse(text); } catch { data = { title: text.slice(0, 200) }; }
  }
  if (response.status === 401) {
    data = { title: "Your session has ended. Sign in again in another tab, then send this again." };
  }
  return { ok: response.ok, status: response.status, body: data };
}

/** Says something to screen-reader users without moving their focus. */
export function announce(text) {
  const region = document.getElementById("live-status");
  if (region) region.textContent = text;
}

function fieldFor(form, pointer) {
  let best = null;
  for (const field of form.querySelectorAll("[data-pointer]")) {
    const own = field.dataset.pointer;
    if (pointer === own || pointer.startsWith(own + "/")) {
      if (!best || own.length > best.dataset.pointer.length) best = field;
    }
  }
  return best;
}

/** Removes the messages of an earlier attempt. */
export function clearErrors(form) {
  for (const field of form.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
  for (const message of form.querySelectorAll(".error")) message.textContent = "";
  const general = form.querySelector(".form-error");
  if (general) general.textContent = "";
}

/** Shows a problem: each field error beside its field, anything else at the top of the form. */
export function showErrors(form, problem, localErrors = []) {
  clearErrors(form);
  const errors = [...localErrors, ...(problem?.errors ?? [])];
  const unplaced = [];
  let first = null;
  for (const error of errors) {
    const field = fieldFor(form, error.pointer ?? "");
    const message = field && document.getElementById(field.id + "-error");
    if (!message) {
      unplaced.push(error.detail);
      continue;
    }
    field.setAttribute("aria-invalid", "true");
    message.textContent = message.textContent ? message.textContent + " " + sentence(error.detail) : sentence(error.detail);
    first ??= field;
  }
  const general = form.querySelector(".form-error");
  if (general) {
    if (unplaced.length) general.textContent = unplaced.map(sentence).join(" ");
    else if (!errors.length) general.textContent = problem?.detail ?? problem?.title ?? "The request failed.";
  }
  (first ?? general)?.focus?.();
  if (first) first.focus();
}

function sentence(text) {
  if (!text) return "";
  const trimmed = String(text).trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : capital + ".";
}

/** The form's named fields as a JSON object: empty ones left out, integers as numbers. */
export function fields(form) {
  const body = {};
  for (const field of form.elements) {
    if (!field.name || field.dataset.urlPart !== undefined || field.type === "submit") continue;
    const value = field.value.trim();
    if (value === "") continue;
    if (field.dataset.type === "integer" && /^-?\d+$/.test(value)) body[field.name] = Number(value);
    else body[field.name] = value;
  }
  return body;
}

/**
 * Sends a form to the API named by its data-api (with {name} filled from fields marked
 * data-url-part) when submitted. `build(form)` may return the body, or {errors} found before
 * sending; `done(form, body)` runs on success.
 */
export function bindForm(form, { build = fields, done = () => {} } = {}) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    const built = build(form);
    if (built?.errors) {
      showErrors(form, null, built.errors);
      return;
    }
    let url = form.dataset.api;
    const missing = [];
    for (const part of form.querySelectorAll("[data-url-part]")) {
      if (!part.value) missing.push({ pointer: part.dataset.pointer, detail: "Choose one." });
      url = url.replace("{" + part.dataset.urlPart + "}", encodeURIComponent(part.value));
    }
    if (missing.length) {
      showErrors(form, null, missing);
      return;
    }
    if (button) button.disabled = true;
    form.setAttribute("aria-busy", "true");
    const answer = await api(form.dataset.method ?? "POST", url, built);
    form.removeAttribute("aria-busy");
    if (button) button.disabled = false;
    if (!answer.ok) {
      showErrors(form, answer.body);
      return;
    }
    clearErrors(form);
    done(form, answer.body);
  });
}

/** Writes a short result under a form and announces it. */
export function showResult(form, text) {
  const result = form.querySelector(".result");
  if (result) result.textContent = text;
  announce(text);
}

/** An instant from the API written as the pages write times: `2010-08-23 01:10`, in this browser's zone. */
export function localTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
