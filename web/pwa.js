// The standalone page's offline support: registers the service worker (sw.js), says so while the
// device is offline, and offers a new build once it has been downloaded. Only index.html loads
// this file; an app embedded in someone else's page never installs a service worker.

import { STRINGS } from './strings.js';

// The notices speak the page's language, which the app keeps in <html lang>.
const strings = () => STRINGS[document.documentElement.lang] ?? STRINGS.en;

// Live regions are announced only when they change after being in the page, so the offline
// notice exists from the start and is merely emptied while online. It comes after the app in
// the document, so the app's own status line stays the first one.
const offlineNotice = document.createElement('p');
offlineNotice.className = 'dg-page-notice dg-offline-notice';
offlineNotice.setAttribute('role', 'status');
document.body.append(offlineNotice);

function showConnection() {
  const text = navigator.onLine ? '' : strings().offline;
  // Writing the same words again would be announced again.
  if (offlineNotice.textContent !== text) offlineNotice.textContent = text;
}
addEventListener('online', showConnection);
addEventListener('offline', showConnection);
showConnection();

let updateNotice = null;

function showUpdateNotice() {
  if (!updateNotice) return;
  updateNotice.text.textContent = strings().updateReady;
  updateNotice.button.textContent = strings().updateNow;
}

new MutationObserver(() => {
  showConnection();
  showUpdateNotice();
}).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });

/** Shows the update notice; its button activates the waiting build, which then reloads the page. */
function offerUpdate(waiting) {
  if (updateNotice) return;
  const notice = document.createElement('div');
  notice.className = 'dg-page-notice dg-update-notice';
  notice.setAttribute('role', 'status');
  const text = document.createElement('span');
  const button = document.createElement('button');
  button.type = 'button';
  button.addEventListener('click', () => {
    button.disabled = true;
    // Reloading only after the switch means the page never runs half old, half new.
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
    waiting.postMessage({ type: 'skip-waiting' });
  });
  notice.append(text, ' ', button);
  updateNotice = { text, button };
  showUpdateNotice();
  document.body.append(notice);
}

// A build waiting while another one controls this page is an update; without a controller it is
// the first install, which takes over on the next visit by itself.
function watchForUpdates(registration) {
  if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed' && navigator.serviceWorker.controller) offerUpdate(installing);
    });
  });
}

// Service workers need a secure context (https or localhost); elsewhere the app simply stays
// online-only.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker
    .register(new URL('./sw.js', import.meta.url), { scope: new URL('./', import.meta.url).href })
    .then(watchForUpdates)
    .catch((error) => console.warn(`Offline use is unavailable: ${error.message}`));
}
