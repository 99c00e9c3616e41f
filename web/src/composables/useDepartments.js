// The department list (GET /api/v1/departments), loaded once per page that needs
// it, for selects and labels. `reload()` after a department is added or changed.
import { ref } from 'vue'
import { api } from '../api.js'
import { listOf } from '../format.js'

export function useDepartments() {
  const departments = ref([])
  const error = ref('')

  async function reload() {
    error.value = ''
    try {
      departments.value = listOf(await api.get('/api/v1/departments', { limit: 500 }), 'departments')
    } catch (err) {
      departments.value = []
      error.value = err.message
    }
  }

  reload()
  return { departments, error, reload }
}
