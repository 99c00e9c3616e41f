// Saving data the page already holds as a file on the user's computer.
//
// saveFile(name, text, type): builds a Blob, gives it an object URL and clicks a
// temporary <a download> pointing at it. Under the server's Content-Security-Policy
// this is allowed: following a blob: link to download is a navigation, which
// connect-src / default-src do not govern, and no inline script or javascript: URL
// is involved (tests/browser/catalog-publish.test.mjs checks that no violation is
// reported). The object URL is revoked a little later, once the browser has taken
// the download over.
export function saveFile(name, text, type = 'application/octet-stream') {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.rel = 'noopener'
  link.hidden = true
  document.body.appendChild(link)
  try {
    link.click()
  } finally {
    link.remove()
    setTimeout(() => URL.revokeObjectURL(url), 30000)
  }
}

// formatBytes: a size for people ("812 KB", "1.4 MB").
export function formatBytes(n) {
  if (!Number.isFinite(n) || n < 0) return ''
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`
  return `${(n / (1024 * 1024)).toFixed(1)} MB`
}
