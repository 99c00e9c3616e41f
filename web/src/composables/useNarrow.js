// Whether the screen is phone-sized (≤ 640 px), as a ref shared by every list.
//
// On a phone a list keeps the column that names each row (class "list-name")
// pinned on the left while the other columns scroll sideways inside the table,
// and its action column is no longer pinned on the right: pinned, it would cover
// the names on a 390 px screen.
//   const narrow = useNarrow()
//   <el-table-column class-name="list-name" :fixed="narrow ? 'left' : false" …>
//   <el-table-column label="操作" :fixed="narrow ? false : 'right'" …>
import { ref } from 'vue'

const QUERY = '(max-width: 640px)'
let shared = null

export function useNarrow() {
  if (!shared) {
    const mq = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(QUERY) : null
    shared = ref(!!(mq && mq.matches))
    if (mq) mq.addEventListener('change', (e) => (shared.value = e.matches))
  }
  return shared
}
