// The live socket /runs/{id}/live (docs/PROTOCOL.md): one snapshot, then increments. Reconnects on its own
// (a reconnect starts again with a fresh snapshot), so a sleeping laptop or a server restart heals.

/**
 * Connects to a run's live socket and calls onMessage(message) for each message (run-state.js makes sense of
 * them). onState(text, connected) reports the connection. Returns { close() }.
 */
export function connectLive(runId, onMessage, onState = () => {}) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${location.host}/runs/${encodeURIComponent(runId)}/live`;
  let socket = null;
  let closed = false;
  let delay = 1000;

  function open() {
    onState('connecting…', false);
    socket = new WebSocket(url);
    socket.onopen = () => { delay = 1000; onState('live', true); };
    socket.onmessage = (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      onMessage(message);
    };
    socket.onclose = async (event) => {
      if (closed) return;
      if (event.code === 4404 || await runIsGone(runId)) {
        onState('this run no longer exists', false);
        return;
      }
      onState('reconnecting…', false);
      setTimeout(open, delay);
      delay = Math.min(2 * delay, 15000);
    };
  }
  open();
  return { close() { closed = true; if (socket) socket.close(); } };
}

async function runIsGone(runId) {
  try {
    const response = await fetch(`/api/runs/${encodeURIComponent(runId)}`, { headers: { Accept: 'application/json' } });
    return response.status === 404;
  } catch (e) {
    return false; // the server is away: keep trying
  }
}
