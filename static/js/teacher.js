// `/teacher`: sign in with the teacher key (the server answers with a session in an HttpOnly cookie), or sign out.
// The key's input has no name and the form posts, so that without this script the key never lands in a URL.

import { api } from './api.js';

const section = document.getElementById('teacher');
const form = document.getElementById('teacher-form');
const error = section.querySelector('[data-error-for=token]');

function show(signedIn) {
  section.dataset.signedIn = String(signedIn);
  document.getElementById('teacher-in').hidden = !signedIn;
  document.getElementById('teacher-out').hidden = signedIn;
  document.getElementById('teacher-signed-in').hidden = !signedIn;
  form.hidden = signedIn;
}

if (form) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const button = document.getElementById('teacher-sign-in');
    button.disabled = true;
    try {
      const session = await api('POST', '/api/teacher', { token: document.getElementById('teacher-token').value });
      form.reset();
      show(session.signedIn);
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
  document.getElementById('teacher-sign-out').addEventListener('click', async () => {
    const session = await api('DELETE', '/api/teacher');
    show(session.signedIn);
  });
}
