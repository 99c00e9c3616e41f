// Field-level errors of a form that talks to the API.
//
//   const { errors, clear, apply, set } = useFormErrors(['username', 'password'])
//   <el-form-item label="用户名" :error="errors.username"> … <ApiAlert :message="errors['']" />
//
// apply(err) puts an ApiError's Chinese message next to the input named by its
// `field` (the JSON path the API reports: "uscc", "roles[1]", "department.code" is
// matched on its first segment); an error without a field, or for a field the form
// does not have, goes to errors[''] — the alert above or below the form.
import { reactive } from 'vue'
import { ApiError } from '../api.js'

// messageOf: what a user reads for a failed request — the API's Chinese message,
// or a general one for anything else (a network failure, a bug).
export function messageOf(err) {
  return err instanceof ApiError ? err.message : '操作失败，请稍后重试。'
}

export function useFormErrors(fields) {
  const errors = reactive({ '': '' })
  for (const f of fields) errors[f] = ''

  function clear() {
    for (const k of Object.keys(errors)) errors[k] = ''
  }

  function set(field, message) {
    errors[fields.includes(field) ? field : ''] = message
  }

  function apply(err) {
    if (!(err instanceof ApiError)) {
      errors[''] = messageOf(err)
      return
    }
    const head = (err.field || '').split(/[.[]/)[0]
    set(head, err.message)
  }

  return { errors, clear, apply, set }
}
