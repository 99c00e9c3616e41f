// The header's unread-notification count, shared by the layout and the inbox.
// Asked again on every page change (GET /api/v1/notifications?unread=true&limit=1
// answers the count in `unread`), never polled in the background.
import { ref } from 'vue'
import { api } from '../../api.js'
import { may, mustChangePassword } from '../../session.js'

export const unread = ref(0)

export async function refreshUnread() {
  // an account that must change its password may do nothing else (the server answers 403)
  if (!may('notifications.read') || mustChangePassword()) {
    unread.value = 0
    return
  }
  try {
    const body = await api.get('/api/v1/notifications', { unread: 'true', limit: 1 })
    unread.value = typeof body.unread === 'number' ? body.unread : 0
  } catch {
    unread.value = 0
  }
}
