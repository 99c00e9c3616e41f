// One industry's guide (GET /api/v1/industries/{code}) for pages that need its
// name and questions. `questions` maps question id → question; it stays empty
// when the service cannot answer (the pages then fall back to the ids).
import { computed, ref, watch } from 'vue'
import { api } from '../api.js'

export function useIndustry(codeRef) {
  const industry = ref(null)
  const error = ref(null) // the ApiError, if any
  const loading = ref(false)

  async function load(code) {
    industry.value = null
    error.value = null
    if (!code) return
    loading.value = true
    try {
      industry.value = await api.get(`/api/v1/industries/${encodeURIComponent(code)}`)
    } catch (err) {
      error.value = err
    } finally {
      loading.value = false
    }
  }

  const questions = computed(() => {
    const list = (industry.value && industry.value.questions) || []
    return Object.fromEntries(list.filter((q) => q && q.id).map((q) => [q.id, q]))
  })

  watch(codeRef, load, { immediate: true })
  return { industry, error, loading, questions, reload: () => load(codeRef.value) }
}
