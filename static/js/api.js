// Small helpers for the JSON API: errors come back as {"error", "field"} (README, "The API from a script").

export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field || null;
  }
}

// Every state-changing request carries this header: the server's CSRF guard refuses POST and DELETE without
// it (a form on another site cannot set a header, and a script there cannot without a CORS preflight).
const CSRF_HEADER = 'X-Requested-With';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Calls the API; resolves with the parsed JSON (or null), rejects with an ApiError. */
export async function api(method, url, body) {
  const options = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (!SAFE_METHODS.has(method.toUpperCase())) options.headers[CSRF_HEADER] = 'fetch';
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, options);
  } catch (e) {
    throw new ApiError(0, 'the server cannot be reached; is it running?', null);
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = null; }
  }
  if (!response.ok) {
    throw new ApiError(response.status, (data && data.error) || `the server answered ${response.status}`,
      data && data.field);
  }
  return data;
}

/** Calls fn with the latest arguments once the calls have paused for `ms`. */
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

export function formatNumber(value, digits = 4) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return value.toExponential(2);
  return Number(value.toPrecision(digits)).toString();
}

export function formatDuration(seconds) {
  if (!(seconds >= 0)) return '–';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds - 60 * m)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
