// The one way a form sends something to the API: field errors next to the inputs
// (useFormErrors), a busy flag for the submit button, and the request itself.
//
//   const { errors, set, busy, submit } = useSubmit(['name', 'code'])
//   async function save() {
//     clear()                                    // forget the last attempt's errors
//     if (!form.name.trim()) set('name', '请输入名称。')
//     if (await submit(() => api.post('/api/v1/things', {...}))) done()
//   }
//   <el-button :loading="busy" @click="save">  <el-form-item :error="errors.name">
//
// submit(run, { onError }) sends nothing while an error is set (the checks above
// found one) or while an earlier submit is still running; otherwise it runs
// `run`, and a failure is shown where it belongs (apply: next to the field the API
// names, else above the form) after the optional onError(err) (e.g. to empty a
// password); an onError that returns (or resolves to) true has shown the error
// itself, and apply is skipped. It resolves to true when `run` succeeded, false otherwise — it never
// throws, so a view needs no try/catch/finally of its own.
import { ref } from 'vue'
import { useFormErrors } from './useFormErrors.js'

export function useSubmit(fields = []) {
  const { errors, clear, apply, set } = useFormErrors(fields)
  const busy = ref(false)

  const hasErrors = () => Object.values(errors).some(Boolean)

  async function submit(run, { onError } = {}) {
    if (busy.value || hasErrors()) return false
    busy.value = true
    try {
      await run()
      return true
    } catch (err) {
      if (!(onError && (await onError(err)) === true)) apply(err)
      return false
    } finally {
      busy.value = false
    }
  }

  return { errors, clear, apply, set, busy, submit, hasErrors }
}
