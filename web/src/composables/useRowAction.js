// The one way a button in a list row acts on the API (disable a user, revoke a
// token, activate a version): ask first, send, say it is done, reload the list.
//
//   const { error, busy, act } = useRowAction(() => table.value.reload())
//   function revoke(row) {
//     act(() => api.del(`/api/v1/tokens/${encodeURIComponent(row.id)}`), {
//       confirm: { title: '吊销令牌', message: `…确定吊销？`, button: '吊销' },
//       done: '已吊销。'
//     })
//   }
//   <ApiAlert :message="error" />            (above the list)
//
// act(run, { confirm, done }) forgets the last action's error, asks `confirm`
// (a warning box: title, message, the confirming button's label) when given —
// cancelling sends nothing — then runs `run`. On success `done` is either the
// text of a success message or a function given run's answer (to show a one-time
// secret), and the list is reloaded. A failure is shown in `error` (the API's
// Chinese message) and the list is left as it is. Nothing is sent while an
// earlier action is still running. It resolves to true when `run` succeeded,
// false otherwise — it never throws, so a view needs no try/catch of its own.
import { ref } from 'vue'
import { ElMessageBox, ElMessage } from 'element-plus'
import { messageOf } from './useFormErrors.js'

export function useRowAction(reload) {
  const error = ref('')
  const busy = ref(false)

  async function act(run, { confirm, done } = {}) {
    if (busy.value) return false
    error.value = ''
    if (confirm) {
      try {
        await ElMessageBox.confirm(confirm.message, confirm.title, {
          type: 'warning',
          confirmButtonText: confirm.button,
          cancelButtonText: '取消'
        })
      } catch {
        return false // cancelled
      }
    }
    busy.value = true
    try {
      const body = await run()
      if (typeof done === 'function') done(body)
      else if (done) ElMessage.success(done)
      if (reload) reload()
      return true
    } catch (err) {
      error.value = messageOf(err)
      return false
    } finally {
      busy.value = false
    }
  }

  return { error, busy, act }
}
