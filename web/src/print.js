// Printing Element Plus tables on A4 portrait.
//
// el-table lays its columns out in pixels for the screen it was drawn on (at
// 1366 px a table is ~1160 px wide; its minimum widths alone often exceed the
// ~690 px of an A4 page), and a printout runs no script to lay it out again, so
// the right-hand columns were cut off. While the document is printed (or the
// print media is emulated) each table's columns get the same proportions as
// percentages of the page width instead; header and body tables share the
// columns, so they stay aligned. The print stylesheet (styles/main.css) makes
// the tables 100% wide and lets cell text wrap; without this script the columns
// would still fit, only equally wide.
const MARK = 'data-print-fit'
const MIN_SHARE = 0.07

function fit() {
  for (const table of document.querySelectorAll('.el-table table')) {
    const cols = [...table.querySelectorAll(':scope > colgroup > col')]
    const widths = cols.map((c) => parseFloat(c.getAttribute('width')) || 0)
    const sum = widths.reduce((a, b) => a + b, 0)
    if (!sum) continue
    // a narrow column (序号) keeps room for a short word once scaled down
    const shares = widths.map((w) => (w ? Math.max(w, sum * MIN_SHARE) : 0))
    const total = shares.reduce((a, b) => a + b, 0)
    cols.forEach((c, i) => {
      c.style.width = `${((shares[i] / total) * 100).toFixed(3)}%`
      c.setAttribute(MARK, '')
    })
  }
}

function unfit() {
  for (const c of document.querySelectorAll(`col[${MARK}]`)) {
    c.style.width = ''
    c.removeAttribute(MARK)
  }
}

export function installPrintLayout() {
  if (typeof window === 'undefined' || !window.matchMedia) return
  const print = window.matchMedia('print')
  print.addEventListener('change', (e) => (e.matches ? fit() : unfit()))
  window.addEventListener('beforeprint', fit)
  window.addEventListener('afterprint', unfit)
}
