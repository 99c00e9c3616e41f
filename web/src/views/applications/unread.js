// The header's unread-notification count, shared by the layout and the inbox.
// Asked again on every page change (GET /api/v1/notifications?unread=true&limit=1
// answers the count in `unread`), never polled in the background.
import { ref } from 'vue'
import { api } from '../../api.js'
import { may } from '../../session.js'

export const unread = ref(0)

export async function refreshUnread() {
  if (!may('notifications.read')) {
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
