// The department list (GET /api/v1/departments), loaded once per page that needs
// it, for selects and labels. `reload()` after a department is added or changed.
// `deptName(d)` names a department the API gives as a code (or {code,name}): users
// read 区市场监管局, never scjgj; an unknown code is shown as it is.
import { ref } from 'vue'
import { api } from '../api.js'
import { deptLabel, listOf } from '../format.js'

export function useDepartments() {
  const departments = ref([])
  const error = ref('')

  async function reload() {
    error.value = ''
    try {
      departments.value = listOf(await api.get('/api/v1/departments'))
    } catch (err) {
      departments.value = []
      error.value = err.message
    }
  }

  function deptName(d) {
    const code = d && typeof d === 'object' ? d.code : d
    const known = code ? departments.value.find((x) => x.code === code) : null
    return known ? known.name : deptLabel(d)
  }

  reload()
  return { departments, error, reload, deptName }
}
